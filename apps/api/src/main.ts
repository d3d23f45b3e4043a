import 'reflect-metadata';
import cluster from 'node:cluster';
import { listenProblem, loadConfigOrExit } from '@deload/config';
import { runEntryPoint } from '@deload/logging';
import { StravaWebhookInbox } from '@deload/strava';
import { createApiApp } from './bootstrap';
import { runPrimary, stopOnPrimaryRequest } from './cluster';
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
  const stopRequests = cluster.isWorker ? stopOnPrimaryRequest() : undefined;
  const app = await createApiApp();
  await listen(app, env);
  stopRequests?.serving();
  // Each cluster process says it is up; the primary says where the api listens, once.
  return cluster.isWorker ? `api process ${process.pid} serving (spool ${env.SPOOL_DIR})` : listeningLine(env);
});
