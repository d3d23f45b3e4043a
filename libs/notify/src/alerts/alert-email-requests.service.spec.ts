import { AlertsRepository } from '@deload/persistence';
import type { JobQueue } from '@deload/queue';
import { stubRepository } from '../../../../test/support/stub-repository';
import { RETRY_FAILED_AFTER_MS } from '../delivery/retry-failed-job';
import { AlertEmailRequests, SWEEP_AFTER_MS } from './alert-email-requests.service';

const REQUESTED_AT = new Date('2025-03-10T06:00:00Z');
const JOB_ID = `alert-a1-${REQUESTED_AT.getTime()}`;

describe('AlertEmailRequests puts alert emails on the notify queue', () => {
  let alerts: jest.Mocked<AlertsRepository>;
  let existing: Map<string, { isFailed: () => Promise<boolean>; finishedOn: number; retry: jest.Mock }>;
  let jobs: { add: jest.Mock; queue: jest.Mock };
  let requests: AlertEmailRequests;

  beforeEach(() => {
    alerts = stubRepository(AlertsRepository);
    existing = new Map();
    jobs = { add: jest.fn(), queue: jest.fn(() => ({ getJob: async (id: string) => existing.get(id) })) };
    requests = new AlertEmailRequests(alerts, jobs as unknown as JobQueue);
  });

  it('queues nothing, and asks nothing, for no alerts', async () => {
    expect(await requests.enqueue([])).toBe(0);
    expect(alerts.awaitingEmailAmong).not.toHaveBeenCalled();
  });

  it('queues each waiting alert once per request, with its deterministic job id', async () => {
    alerts.awaitingEmailAmong.mockResolvedValue([{ id: 'a1', notifyRequestedAt: REQUESTED_AT }]);
    expect(await requests.enqueue(['a1', 'a2'])).toBe(1);
    expect(alerts.awaitingEmailAmong).toHaveBeenCalledWith(['a1', 'a2']);
    expect(jobs.add).toHaveBeenCalledWith('notify', { alertId: 'a1' }, { jobId: JOB_ID });
  });

  it('leaves a job that exists alone, and retries one that gave up long enough ago', async () => {
    alerts.awaitingEmailAmong.mockResolvedValue([{ id: 'a1', notifyRequestedAt: REQUESTED_AT }]);
    const job = { isFailed: async () => true, finishedOn: Date.now() - 60_000, retry: jest.fn() };
    existing.set(JOB_ID, job);
    await requests.enqueue(['a1']);
    expect(jobs.add).not.toHaveBeenCalled();
    expect(job.retry).not.toHaveBeenCalled();
    job.finishedOn = Date.now() - RETRY_FAILED_AFTER_MS - 1000;
    await requests.enqueue(['a1']);
    expect(job.retry).toHaveBeenCalledTimes(1);
    expect(jobs.add).not.toHaveBeenCalled();
  });

  it('sweeps the requests older than SWEEP_AFTER_MS, a batch at a time', async () => {
    const now = new Date('2025-03-10T07:00:00Z');
    alerts.unansweredEmailRequests.mockResolvedValue([{ id: 'a1', notifyRequestedAt: REQUESTED_AT }]);
    expect(await requests.sweep(now)).toBe(1);
    expect(alerts.unansweredEmailRequests).toHaveBeenCalledWith(new Date(now.getTime() - SWEEP_AFTER_MS), 500);
    expect(jobs.add).toHaveBeenCalledWith('notify', { alertId: 'a1' }, { jobId: JOB_ID });
  });
});
