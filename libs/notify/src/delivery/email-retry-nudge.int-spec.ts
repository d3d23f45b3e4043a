import { INestApplicationContext } from '@nestjs/common';
import { WorkerHost } from '@nestjs/bullmq';
import { MailModule } from '@deload/mail';
import { JobQueue, QueueModule, QueueProcessor } from '@deload/queue';
import { freePort } from '../../../../test/support/ports';
import { deleteRedisKeys, isolatedRedisPrefix } from '../../../../test/support/redis-prefix';
import { SmtpSink } from '../../../../test/support/smtp-sink';
import { waitFor } from '../../../../test/support/wait';
import { EmailRetryNudge } from './email-retry-nudge.service';
import { integrationModule } from '../../../../test/support/integration-module';

/** Fails each alert's first attempt (as an SMTP outage would), succeeds after. */
@QueueProcessor('notify')
class FailingOnceProcessor extends WorkerHost {
  static readonly attempts = new Map<string, number>();

  async process(job: { data: { alertId: string } }): Promise<string> {
    const attempt = (FailingOnceProcessor.attempts.get(job.data.alertId) ?? 0) + 1;
    FailingOnceProcessor.attempts.set(job.data.alertId, attempt);
    if (attempt === 1) throw new Error('SMTP: connect ECONNREFUSED');
    return 'sent';
  }
}

/** A retry this far away can only run early if it is promoted. */
const FAR_BACKOFF = { attempts: 5, backoff: { type: 'fixed', delay: 60 * 60_000 } };

describe('EmailRetryNudge', () => {
  const prefix = isolatedRedisPrefix('nudge');
  let sinkPort: number;
  let app: INestApplicationContext;
  let jobs: JobQueue;

  beforeAll(async () => {
    sinkPort = await freePort();
    app = await integrationModule([QueueModule, MailModule], {
      env: { REDIS_KEY_PREFIX: prefix, SMTP_URL: `smtp://127.0.0.1:${sinkPort}` },
      providers: [EmailRetryNudge, FailingOnceProcessor],
    });
    await app.init();
    jobs = app.get(JobQueue);
  });
  afterAll(async () => {
    await app.close();
    await deleteRedisKeys(prefix);
  });

  async function failedOnce(alertId: string) {
    const job = await jobs.queue('notify').add('notify', { alertId }, FAR_BACKOFF);
    await waitFor(`${alertId} to wait for its retry`, async () => (await jobs.queue('notify').getJob(job.id!))?.attemptsMade === 1);
    return job.id!;
  }

  it('runs the email jobs waiting for a retry now, and leaves jobs delayed on purpose alone', async () => {
    const retrying = await failedOnce('nudge-a');
    const onPurpose = await jobs.queue('notify').add('notify', { alertId: 'nudge-b' }, { delay: 60 * 60_000 });
    expect(await app.get(EmailRetryNudge).promoteRetries()).toBe(1);
    await waitFor('the promoted job to complete', async () => (await jobs.queue('notify').getJob(retrying))?.returnvalue === 'sent');
    expect(await (await jobs.queue('notify').getJob(onPurpose.id!))?.isDelayed()).toBe(true);
  });

  it('after a failed send, notices the SMTP server answering again and retries at once', async () => {
    const retrying = await failedOnce('nudge-c');
    app.get(EmailRetryNudge).noteOutage(); // the server is still down: the probe finds nothing yet
    const sink = await new SmtpSink().start(sinkPort);
    try {
      await waitFor(
        'the retry to run once SMTP answers',
        async () => (await jobs.queue('notify').getJob(retrying))?.returnvalue === 'sent',
      );
    } finally {
      await sink.stop();
    }
  });
});
