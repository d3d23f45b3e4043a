import type { ParsedMail } from 'mailparser';
import { EvaluationRequests } from '../../libs/evaluation/src';
import { isoWeekOf } from '../../libs/notify/src';
import { AlertEntity, EmailDeliveryEntity, UserEntity } from '../../libs/persistence/src';
import { JobQueue } from '../../libs/queue/src';
import { tcxActivity, zipBytes } from '../support/archives';
import { signIn, SignedIn } from '../support/sessions';
import { Stack, startStack } from '../support/stack';
import { uploadFiles } from '../support/uploads';
import { waitFor } from '../support/wait';

const DAY_MS = 24 * 3600_000;

interface PlannedRun {
  /** Days before now (0 = an hour ago). */
  daysAgo: number;
  km: number;
  description?: string;
}

/** Eight weeks of 8 km runs on four days a week, up to (not including) the last `quietDays` days. */
function steadyHistory(quietDays: number): PlannedRun[] {
  const runs: PlannedRun[] = [];
  for (let daysAgo = 56; daysAgo > quietDays; daysAgo--)
    if (daysAgo % 7 === 0 || daysAgo % 7 === 2 || daysAgo % 7 === 4 || daysAgo % 7 === 5) runs.push({ daysAgo, km: 8 });
  return runs;
}

describe('alert emails through the real pipeline (runs → evaluate → notify → SMTP)', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({
      smtp: true,
      api: true,
      worker: true,
      linksToApi: true,
      redisPrefix: 'alert-emails',
      env: { PAIN_CHECKIN_DELAY_MIN: '600' },
    });
  });

  afterAll(() => stack?.stop());

  type Runner = UserEntity & { session: SignedIn };

  async function runner(units: 'km' | 'mi' = 'km'): Promise<Runner> {
    const session = await signIn(stack.api);
    await stack.db.query(`UPDATE users SET units = $2, timezone = 'UTC' WHERE id = $1`, [session.user.id, units]);
    return Object.assign(await stack.db.getRepository(UserEntity).findOneByOrFail({ id: session.user.id }), { session });
  }

  let nextActivityId = Date.now();

  /**
   * Uploads the runs as a Strava bulk export (activities.csv with titles and descriptions, one TCX
   * file per activity) through POST /api/runs/files: ingest stores them, reads pain tags and asks
   * for the runner's evaluation, whose alerts the worker emails.
   */
  async function importRuns(user: Runner, runs: PlannedRun[]): Promise<void> {
    const files: Record<string, string> = {};
    const rows = runs.map((run) => {
      const id = nextActivityId++;
      const start = new Date(Date.now() - run.daysAgo * DAY_MS - 3600_000);
      const seconds = Math.round(run.km * 330);
      files[`activities/${id}.tcx`] = tcxActivity(start, run.km * 1000, seconds);
      const description = (run.description ?? '').replace(/"/g, '""');
      return `${id},${start.toISOString()},Run,Run,"${description}",${seconds},${run.km},activities/${id}.tcx`;
    });
    files['activities.csv'] =
      `Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,Elapsed Time,Distance,Filename\n${rows.join('\n')}\n`;
    const body = new FormData();
    body.append('files', new Blob([await zipBytes(files)]), 'export_12345.zip');
    const { accepted, body: imported } = await uploadFiles(stack.url, user.session.headers, body);
    expect([accepted, imported.status]).toEqual([202, 'done']);
  }

  const emailsTo = (user: UserEntity) => stack.sink.to(user.email);
  const alertsOf = (user: UserEntity) =>
    stack.db.getRepository(AlertEntity).find({ where: { userId: user.id }, order: { firstSeenAt: 'ASC' } });
  const header = (email: ParsedMail, name: string) =>
    email.headerLines
      .find((line) => line.key === name)
      ?.line.replace(/\r?\n\s+/g, ' ')
      .replace(/^[^:]+:\s*/, '') ?? '';

  /**
   * Waits until the runner's evaluations are all done (one finished after `evaluatedAfter`, none
   * waiting or running: an upload stores each activity in its own transaction and asks for an
   * evaluation after each, so one can still be queued behind the one that sent the email), and
   * then until every email job they queued has finished (an evaluation queues its `notify` jobs
   * before it completes).
   */
  async function settled(user: UserEntity, evaluatedAfter: Date): Promise<void> {
    const queue = stack.worker.get(JobQueue).queue('evaluate');
    const mine = <J extends { data: { userId: string } }>(jobs: J[]) => jobs.filter((job) => job.data.userId === user.id);
    await waitFor('the evaluations', async () => {
      const open = mine(await queue.getJobs(['waiting', 'active', 'delayed', 'prioritized']));
      const finished = mine(await queue.getCompleted());
      return open.length === 0 && finished.some((job) => (job.finishedOn ?? 0) > evaluatedAfter.getTime());
    });
    const notify = stack.worker.get(JobQueue).queue('notify');
    await waitFor('the notify queue to drain', async () => {
      const counts = await notify.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      return Object.values(counts).every((count) => count === 0);
    });
  }

  it('a run that spikes → exactly one alert email, with the right numbers, in the runner units', async () => {
    const ada = await runner('km');
    await importRuns(ada, [...steadyHistory(1), { daysAgo: 0, km: 12 }]);
    await stack.sink.waitFor(() => emailsTo(ada).length > 0, 45_000);
    await settled(ada, new Date(0));
    const [email, ...more] = emailsTo(ada);
    expect(more).toHaveLength(0);
    expect(email.subject).toBe('Your 12 km run was 50 % longer than anything in the last 30 days');
    expect(email.text).toContain('Longest run in the 30 days before: 8 km');
    expect(email.text).toContain('Longer by: 50 %');
    expect(email.text).toContain('Cut the next 7 days by 20–30 %');
    expect(email.text).toContain('not medical advice');
    const [alert] = await alertsOf(ada);
    expect(email.messageId).toBe(`<alert.${alert.id}-${alert.notifyRequestedAt!.getTime()}@127.0.0.1>`);
    expect(alert).toMatchObject({ rule: 'single-run-spike', notifiedSeverity: 'caution' });
    expect(alert.notifiedAt!.getTime()).toBeGreaterThanOrEqual(alert.notifyRequestedAt!.getTime());

    // Re-evaluated within the cooldown (another sync, the daily run): no second email.
    const before = new Date();
    await stack.worker.get(EvaluationRequests).request(ada.id, 'daily');
    await settled(ada, before);
    const [again] = await alertsOf(ada);
    expect(again.lastSeenAt.getTime()).toBeGreaterThan(alert.lastSeenAt.getTime());
    expect(again.notifiedAt).toEqual(alert.notifiedAt);
    expect(emailsTo(ada)).toHaveLength(1);
  }, 120_000);

  /** Six 8.5 km runs in the six days before today after eight weeks of 32 km: 59 % up on the usual week, no run a spike. */
  const BIG_WEEK: PlannedRun[] = [6, 5, 4, 3, 2, 1].map((daysAgo) => ({ daysAgo, km: 8.5 }));
  const SPIKE: PlannedRun = { daysAgo: 0, km: 12 };

  it('a spike at the end of a big week → exactly one email, led by the spike, naming the weekly increase', async () => {
    const nia = await runner('km');
    // First the big week alone: a weak sign, which waits for the weekly summary.
    await importRuns(nia, [...steadyHistory(6), ...BIG_WEEK]);
    await settled(nia, new Date(0));
    const weekly = await waitFor('the weekly increase', async () =>
      (await alertsOf(nia)).find((alert) => alert.rule === 'weekly-increase'),
    );
    expect(weekly).toMatchObject({ state: 'open', notifyRequestedAt: null });
    expect(emailsTo(nia)).toHaveLength(0);

    const beforeSpike = new Date();
    await importRuns(nia, [SPIKE]);
    await stack.sink.waitFor(() => emailsTo(nia).length > 0, 45_000);
    await settled(nia, beforeSpike);
    const [email, ...more] = emailsTo(nia);
    expect(more).toHaveLength(0);
    expect(email.subject).toBe('Your 12 km run was 41 % longer than anything in the last 30 days');
    const text = email.text ?? '';
    expect(text).toContain('Longest run in the 30 days before: 8.5 km');
    expect(text).toContain('Also this week\n- Caution: You ran 97 % more this week than usual (63 km against 32 km)\n');
    expect(text.indexOf('Also this week')).toBeGreaterThan(text.indexOf('What you could do'));
    expect(text).toContain('not medical advice');
    const spike = (await alertsOf(nia)).find((alert) => alert.rule === 'single-run-spike')!;
    expect(spike.notifyAlso).toContain(weekly.id);
  }, 180_000);

  it('"weekly summary only": the same week sends no alert email, and the summary carries the signs with their numbers', async () => {
    const ola = await runner('km');
    const setting = await fetch(`${stack.url}/api/settings`, {
      method: 'PATCH',
      headers: { ...ola.session.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ alertEmails: 'none' }),
    });
    expect(setting.status).toBe(200);
    await importRuns(ola, [...steadyHistory(6), ...BIG_WEEK, SPIKE]);
    await settled(ola, new Date(0));
    const rules = (await alertsOf(ola)).map((alert) => alert.rule);
    expect(rules).toEqual(expect.arrayContaining(['weekly-increase', 'single-run-spike']));
    expect((await alertsOf(ola)).every((alert) => alert.notifyRequestedAt === null)).toBe(true);
    expect(emailsTo(ola)).toHaveLength(0);

    const week = isoWeekOf(new Date().toISOString().slice(0, 10));
    await stack.worker.get(JobQueue).add('weekly-summary', { userId: ola.id, week }, { jobId: `summary-${ola.id}-${week}` });
    await stack.sink.waitFor(() => emailsTo(ola).length > 0, 45_000);
    const [summary, ...more] = emailsTo(ola);
    expect(more).toHaveLength(0);
    expect(summary.subject).toMatch(/^Your week: .*, \d signs to watch$/);
    const text = summary.text ?? '';
    expect(text).toContain('Watch this week\n- Caution: Your 12 km run was 41 % longer than anything in the last 30 days\n');
    expect(text).toMatch(/ {2}Run: 12 km, \w+ \d+ \w+ · Longest run in the 30 days before: 8\.5 km · Longer by: 41 %\n/);
    expect(text).toContain('- Caution: You ran 97 % more this week than usual (63 km against 32 km)\n');
    // Both suggest cutting the next 7 days; the summary says it once.
    expect(text.match(/Cut the next 7 days/g)).toHaveLength(1);
    expect(text).not.toContain('We emailed you about this one');
    expect(text).toContain('not medical advice');
  }, 180_000);

  it('pain tags arriving earlier on successive runs → a pain-earlier email', async () => {
    const grace = await runner('mi');
    await importRuns(grace, [{ daysAgo: 2, km: 9.7, description: 'Easy. ITB from 6k' }]);
    await importRuns(grace, [{ daysAgo: 1, km: 9.7, description: 'ITB from 5k, walked home' }]);
    await stack.sink.waitFor(() => emailsTo(grace).length === 1, 45_000);
    const [first] = emailsTo(grace);
    expect(first.subject).toBe('Your outer-knee pain is starting earlier in each run');
    expect(first.text).toMatch(/Pain on \w+ \d+ \w+: from 3\.7 mi/);
    expect(first.text).toMatch(/Pain on \w+ \d+ \w+: from 3\.1 mi/);
    expect(first.text).toContain('Stop your run at the point the pain starts');

    await importRuns(grace, [{ daysAgo: 0, km: 9.7, description: 'ITB from 4k again' }]);
    await stack.sink.waitFor(() => emailsTo(grace).length === 2, 45_000);
    // Three painful runs in a row raise it to high: that escalation is a new email, sent once.
    expect(emailsTo(grace)[1].subject).toBe('Outer-knee pain on 3 runs in a row: time to ease off');
    await settled(grace, new Date(0));
    expect(new Set(emailsTo(grace).map((email) => email.messageId)).size).toBe(2);
  }, 120_000);

  it('SMTP down, then up: the email goes out late, once', async () => {
    const linus = await runner();
    const port = stack.sink.port;
    await stack.sink.stop();
    await importRuns(linus, [...steadyHistory(1), { daysAgo: 0, km: 12 }]);
    const failed = await waitFor('a failed send', async () =>
      stack.db.getRepository(EmailDeliveryEntity).findOne({ where: { userId: linus.id, kind: 'alert', status: 'failed' } }),
    );
    expect(failed.lastError).toMatch(/ECONNREFUSED|connect/i);
    await stack.sink.start(port);
    await stack.sink.waitFor(() => emailsTo(linus).length > 0, 45_000);
    await settled(linus, new Date(0));
    expect(emailsTo(linus)).toHaveLength(1);
    const delivery = await stack.db.getRepository(EmailDeliveryEntity).findOneByOrFail({ id: failed.id });
    expect(delivery.status).toBe('sent');
    expect(delivery.attempts).toBeGreaterThanOrEqual(2);
  }, 120_000);

  it('after the unsubscribe link, no more alert emails', async () => {
    const mo = await runner();
    await importRuns(mo, [...steadyHistory(2), { daysAgo: 1, km: 12 }]);
    await stack.sink.waitFor(() => emailsTo(mo).length === 1, 45_000);
    const unsubscribe = /^<(.+)>$/.exec(header(emailsTo(mo)[0], 'list-unsubscribe'))![1];
    expect(header(emailsTo(mo)[0], 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    const response = await fetch(unsubscribe, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(response.status).toBe(200);

    // A run more than twice the longest: a high alert, which would go out even on the same day.
    const beforeUpload = new Date();
    await importRuns(mo, [{ daysAgo: 0, km: 25 }]);
    // Nothing more can come once every evaluation of the upload and every email job is done.
    await settled(mo, beforeUpload);
    const high = (await alertsOf(mo)).find((alert) => alert.severity === 'high');
    expect(high).toMatchObject({ rule: 'single-run-spike', state: 'open', notifyRequestedAt: null });
    expect(emailsTo(mo)).toHaveLength(1);
    expect(await stack.db.getRepository(UserEntity).findOneByOrFail({ id: mo.id })).toMatchObject({ alertEmails: 'none' });
  }, 120_000);

  async function answerAlert(user: Runner, alertId: string, answer: 'acknowledge' | 'dismiss', body: object): Promise<void> {
    const response = await fetch(`${stack.url}/api/alerts/${alertId}/${answer}`, {
      method: 'POST',
      headers: { ...user.session.headers, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
  }

  it('a spike dismissed as a planned race: the bigger spike of the same episode is not emailed; acknowledged, it is', async () => {
    const [dismissing, acknowledging] = [await runner(), await runner()];
    const spiked = async (user: Runner) => {
      await importRuns(user, [...steadyHistory(2), { daysAgo: 1, km: 12 }]);
      await stack.sink.waitFor(() => emailsTo(user).length === 1, 45_000);
      await settled(user, new Date(0));
      return (await alertsOf(user)).find((alert) => alert.rule === 'single-run-spike')!;
    };
    const [first, second] = await Promise.all([spiked(dismissing), spiked(acknowledging)]);
    await answerAlert(dismissing, first.id, 'dismiss', { reason: 'planned-race', note: 'Build-up race, planned with my coach' });
    await answerAlert(acknowledging, second.id, 'acknowledge', {});

    // A run more than twice the 12 km: a high spike within the 7-day episode of the first.
    const beforeUpload = new Date();
    await Promise.all([importRuns(dismissing, [{ daysAgo: 0, km: 26 }]), importRuns(acknowledging, [{ daysAgo: 0, km: 26 }])]);
    await stack.sink.waitFor(() => emailsTo(acknowledging).length === 2, 45_000);
    await Promise.all([settled(dismissing, beforeUpload), settled(acknowledging, beforeUpload)]);
    expect(emailsTo(acknowledging)[1].subject).toBe('Your long run was 2.2 times as long as anything in the last 30 days');
    const quiet = (await alertsOf(dismissing)).find((alert) => alert.severity === 'high');
    expect(quiet).toMatchObject({ rule: 'single-run-spike', state: 'open', notifyRequestedAt: null, coveredSeverity: 'high' });
    expect(emailsTo(dismissing)).toHaveLength(1);
  }, 180_000);

  it('a weekly increase dismissed before the spike: the spike email no longer carries it under "also this week"', async () => {
    const ida = await runner('km');
    await importRuns(ida, [...steadyHistory(6), ...BIG_WEEK]);
    await settled(ida, new Date(0));
    const weekly = await waitFor('the weekly increase', async () =>
      (await alertsOf(ida)).find((alert) => alert.rule === 'weekly-increase'),
    );
    await answerAlert(ida, weekly.id, 'dismiss', { reason: 'planned-race' });

    const beforeSpike = new Date();
    await importRuns(ida, [SPIKE]);
    await stack.sink.waitFor(() => emailsTo(ida).length > 0, 45_000);
    await settled(ida, beforeSpike);
    const [email, ...more] = emailsTo(ida);
    expect(more).toHaveLength(0);
    expect(email.subject).toBe('Your 12 km run was 41 % longer than anything in the last 30 days');
    // Without the dismissal this line is the first under "Also this week" (the test of a spike at the end of a big week).
    expect(email.text).not.toContain('You ran 97 % more this week than usual');
    const spike = (await alertsOf(ida)).find((alert) => alert.rule === 'single-run-spike')!;
    expect(spike.notifyAlso).not.toContain(weekly.id);
  }, 180_000);
});
