import 'reflect-metadata';
import cluster from 'node:cluster';
import { listenProblem, loadConfigOrExit } from '@deload/config';
import { runEntryPoint } from '@deload/logging';
import { StravaWebhookInbox } from '@deload/strava';
import { createApiApp } from './bootstrap';
import { runPrimary } from './cluster';
import { ensureCanListen, listen, listeningLine } from './listen';

runEntryPoint('api', async () => {
  const env = loadConfigOrExit();
  const problem = listenProblem(env);
  if (problem) throw new Error(problem);
  if (cluster.isPrimary) {
    await ensureCanListen(env);
    if (env.API_PROCESSES > 1) {
      await runPrimary(env);
      return `${listeningLine(env)} (${env.API_PROCESSES} processes)`;
    }
    // One process after a run with several: their spools are this one's to drain.
    await StravaWebhookInbox.prepareSpools(env.SPOOL_DIR, 1);
  }
  const app = await createApiApp();
  await listen(app, env);
  // Each cluster process says it is up; the primary says where the api listens, once.
  return cluster.isWorker ? `api process ${process.pid} serving (spool ${env.SPOOL_DIR})` : listeningLine(env);
});
