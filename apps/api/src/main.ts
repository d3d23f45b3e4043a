import 'reflect-metadata';
import { loadConfigOrExit } from '@deload/config';
import { runEntryPoint } from '@deload/logging';
import { createApiApp } from './bootstrap';

runEntryPoint('api', async () => {
  const { PORT, PUBLIC_URL } = loadConfigOrExit();
  const app = await createApiApp();
  await app.listen(PORT);
  return `listening on port ${PORT} (${PUBLIC_URL})`;
});
