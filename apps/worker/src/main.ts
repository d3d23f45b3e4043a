import 'reflect-metadata';
import { loadConfigOrExit } from '@deload/config';
import { runEntryPoint } from '@deload/logging';
import { queueNames } from '@deload/queue';
import { createWorkerApp } from './bootstrap';

runEntryPoint('worker', async () => {
  const env = loadConfigOrExit();
  await createWorkerApp();
  const queues = queueNames();
  const folder = env.IMPORT_DIR ? `, watching ${env.IMPORT_DIR} for files to import` : '';
  return `Deload worker processing ${queues.length} queues (${queues.join(', ')}) and the scheduled jobs${folder}`;
});
