import 'reflect-metadata';
import { loadConfigOrExit } from '@deload/config';
import { runEntryPoint } from '@deload/logging';
import { queueNames } from '@deload/queue';
import { createWorkerApp } from './bootstrap';

runEntryPoint('worker', async () => {
  loadConfigOrExit();
  await createWorkerApp();
  return `processing queues: ${queueNames().join(', ') || '(none declared)'}`;
});
