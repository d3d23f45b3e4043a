import 'reflect-metadata';
import { listenProblem, loadConfigOrExit } from '@deload/config';
import { runEntryPoint } from '@deload/logging';
import { createApiApp } from './bootstrap';
import { ensureCanListen, listen, listeningLine } from './listen';

runEntryPoint('api', async () => {
  const env = loadConfigOrExit();
  const problem = listenProblem(env);
  if (problem) throw new Error(problem);
  await ensureCanListen(env);
  const app = await createApiApp();
  await listen(app, env);
  return listeningLine(env);
});
