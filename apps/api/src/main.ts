import 'reflect-metadata';
import { listenProblem, loadConfigOrExit } from '@deload/config';
import { runEntryPoint } from '@deload/logging';
import { createApiApp } from './bootstrap';

runEntryPoint('api', async () => {
  const env = loadConfigOrExit();
  const problem = listenProblem(env);
  if (problem) throw new Error(problem);
  const app = await createApiApp();
  if (env.LISTEN_HOST) await app.listen(env.PORT, env.LISTEN_HOST);
  else await app.listen(env.PORT);
  return `listening on port ${env.PORT} of ${env.LISTEN_HOST ?? 'every interface'} (${env.PUBLIC_URL})`;
});
