import { UsersService } from '../../libs/users/src';
import { RunIngestService } from '../../libs/ingest/src';
import { CoachDigestService, isoWeekOf } from '../../libs/notify/src';
import type { UserEntity } from '../../libs/persistence/src';
import { TeamsService } from '../../libs/teams/src';
import { signIn, SignedIn } from '../support/sessions';
import { SmtpSink } from '../support/smtp-sink';
import { startStack } from '../support/stack';
import { backfilledConnection, connectThroughRedirects, startStravaStack, StravaStack } from '../support/strava-stack';
import { waitFor } from '../support/wait';

interface Overview {
  view: { includeStravaData: boolean };
  latestRun: { id: string; name: string | null; distanceM: number } | null;
  latestPain: { report: { runId: string | null; startUtc: string } } | null;
  runRatios: { runId: string; distanceM: number }[];
  pain: { runId: string | null; startUtc: string; source: string; onsetM: number | null; note: string | null }[];
  shoes: { name: string; distanceM: number }[];
  alerts: {
    id: string;
    rule: string;
    severity: string;
    state: string;
    firstSeenAt: string;
    facts: Record<string, unknown>;
    message: Record<string, unknown>;
    detailsWithheld: boolean;
    email: { subject: string } | null;
  }[];
}

const DAY_MS = 86_400_000;
const SHOE = 'Pegasus Trail 4 (Strava gear)';
const TEMPO = 'Tempo with Anna';

jest.setTimeout(180_000);

/**
 * A runner whose runs come from Strava (one outing also as a FIT file), with a long-run spike,
 * worn Strava shoes and knee pain coming earlier, read from their Strava titles and reported by
 * them in Deload; a coach of theirs on a deployment without STRAVA_COACH_SHARING. Field by field,
 * what reaches the coach (JSON API, pages, team view, digest) and what a deauthorization leaves.
 */
describe('security: Strava data and coaches (issue 11, item 4)', () => {
  let stack: StravaStack;
  let sink: SmtpSink;
  const athleteId = 650_000 + Math.floor(Math.random() * 50_000);
  let runner: UserEntity;
  let runnerSession: SignedIn;
  let coach: SignedIn;
  let teamId: string;
  let apiReportRunId: string;
  let mergedRunId: string;

  const get = async <T>(who: SignedIn, path: string, url = stack.url): Promise<{ status: number; body: T; text: string }> => {
    const response = await fetch(`${url}${path}`, {
      headers: { ...who.headers, accept: path.startsWith('/api/') ? 'application/json' : 'text/html' },
    });
    const text = await response.text();
    return { status: response.status, text, body: (path.startsWith('/api/') ? JSON.parse(text) : undefined) as T };
  };
  const overviewAs = (who: SignedIn, url?: string) => get<Overview>(who, `/api/runners/${runner.id}/overview`, url);

  beforeAll(async () => {
    stack = await startStravaStack({
      smtp: true,
      env: { STRAVA_COACH_SHARING: 'false' },
      fake: { limits: { short: 6000, readShort: 3000, daily: 60_000, readDaily: 30_000 } },
    });
    sink = stack.sink;
    const fake = stack.fake;
    fake.addAthlete({ id: athleteId });
    fake.addGear(athleteId, { id: 'g9001', name: SHOE, distance: 900_000 });
    const at = (daysAgo: number, hour = 7) => new Date(Date.now() - daysAgo * DAY_MS + (hour - 12) * 3600_000).toISOString();
    for (let day = 40; day >= 6; day -= 1)
      fake.addActivity(athleteId, { start_date: at(day), distance: 5000, gear_id: 'g9001', name: 'Easy run' });
    fake.addActivity(athleteId, { start_date: at(5), distance: 6000, gear_id: 'g9001', name: TEMPO });
    fake.addActivity(athleteId, { start_date: at(3), distance: 22_000, gear_id: 'g9001', name: 'Long run, ITB from 6k' });
    fake.addActivity(athleteId, { start_date: at(2), distance: 5000, gear_id: 'g9001', name: 'ITB from 4k' });
    fake.addActivity(athleteId, { start_date: at(1, 7), distance: 5000, gear_id: 'g9001', name: 'ITB from 3k' });
    const evening = fake.addActivity(athleteId, { start_date: at(1, 18), distance: 5000, gear_id: 'g9001', name: 'Evening shakeout' });

    const { sessionCookie } = await connectThroughRedirects(stack, athleteId);
    const { user_id: runnerId } = await backfilledConnection(stack, athleteId, 60_000);
    runner = await stack.api.get(UsersService).byId(runnerId);
    runnerSession = await signIn(stack.api, { email: runner.email });
    expect(sessionCookie).toBeDefined();

    // The same tempo outing from the runner's watch file: a run a coach may see, titled by Strava.
    const [tempo] = await stack.db.query(`SELECT id, start_utc FROM runs WHERE user_id = $1 AND name = $2`, [runner.id, TEMPO]);
    mergedRunId = tempo.id;
    await stack.api.get(RunIngestService).upsertRuns(runner.id, [
      {
        source: 'fit',
        externalId: 'fit-tempo',
        sport: 'run',
        startUtc: new Date(tempo.start_utc.getTime() + 30_000),
        utcOffsetS: 3600,
        distanceM: 6010,
      },
    ]);

    // The runner reports pain on the evening run in Deload (the JSON API), not in Strava.
    const [run] = await stack.db.query(
      `SELECT r.id FROM runs r JOIN run_sources s ON s.run_id = r.id WHERE s.source = 'strava' AND s.external_id = $1`,
      [String(evening.id)],
    );
    apiReportRunId = run.id;
    const report = await fetch(`${stack.url}/api/runs/${apiReportRunId}/pain`, {
      method: 'POST',
      headers: { ...runnerSession.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ hasPain: true, location: 'lateral_knee', onsetM: 2000, severity: 5 }),
    });
    expect(report.status).toBe(200);

    const coachUser = await stack.api.get(UsersService).findOrCreate(`coach-${athleteId}@example.test`, { role: 'coach' });
    coach = await signIn(stack.api, { email: coachUser.email, role: 'coach' });
    const team = await stack.api.get(TeamsService).create(coachUser, 'Trail Crew');
    teamId = team.id;
    await stack.api.get(TeamsService).answer(runner, team.inviteCode, 'accept');

    await waitFor(
      'the spike, worn-shoes and pain-earlier alerts',
      async () => {
        const rows: { rule: string }[] = await stack.db.query(`SELECT rule FROM alerts WHERE user_id = $1 AND state = 'open'`, [runner.id]);
        const rules = new Set(rows.map((row) => row.rule));
        return ['single-run-spike', 'worn-shoes', 'pain-earlier'].every((rule) => rules.has(rule));
      },
      60_000,
    );
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('shows the runner everything of theirs (the control)', async () => {
    const { body } = await overviewAs(runnerSession);
    expect(body.view.includeStravaData).toBe(true);
    expect(body.shoes.map((shoe) => shoe.name)).toContain(SHOE);
    const worn = body.alerts.find((alert) => alert.rule === 'worn-shoes')!;
    expect(worn).toMatchObject({ detailsWithheld: false, facts: { shoeName: SHOE } });
    const spikes = body.alerts.filter((alert) => alert.rule === 'single-run-spike');
    expect(spikes.map((alert) => alert.facts.distanceM)).toContain(22_000);
    expect(body.pain.map((report) => report.source).sort()).toEqual(['api', 'strava_tag', 'strava_tag', 'strava_tag']);
  });

  describe('a coach without Strava sharing', () => {
    let overview: Overview;
    let json: string;

    beforeAll(async () => {
      const answer = await overviewAs(coach);
      expect(answer.status).toBe(200);
      overview = answer.body;
      json = answer.text;
    });

    it('shoes: no Strava gear, so neither its name nor its 900 km', () => {
      expect(overview.shoes).toEqual([]);
      expect(json).not.toContain(SHOE);
    });

    it('alerts: rule, severity, state and dates of each, but no facts, message or email of those computed from Strava', () => {
      expect(overview.alerts.length).toBeGreaterThanOrEqual(3);
      for (const alert of overview.alerts) {
        expect(alert).toMatchObject({
          rule: expect.any(String),
          severity: expect.any(String),
          state: expect.any(String),
          firstSeenAt: expect.any(String),
        });
        expect({
          rule: alert.rule,
          facts: alert.facts,
          message: alert.message,
          email: alert.email,
          withheld: alert.detailsWithheld,
        }).toEqual({
          rule: alert.rule,
          facts: {},
          message: {},
          email: null,
          withheld: true,
        });
      }
      expect(overview.alerts.map((alert) => alert.rule)).toEqual(
        expect.arrayContaining(['single-run-spike', 'worn-shoes', 'pain-earlier']),
      );
      expect(json).not.toMatch(/"distanceM":22000|22 km/);
    });

    it('pain reports: none read from Strava titles; the runner’s own report without its Strava run (no run id, its own date)', async () => {
      expect(overview.pain).toHaveLength(1);
      const [report] = overview.pain;
      expect(report).toMatchObject({ source: 'api', onsetM: 2000, runId: null });
      const [{ created_at: reportedAt, start_utc: runStart }] = await stack.db.query(
        `SELECT p.created_at, r.start_utc FROM pain_reports p JOIN runs r ON r.id = p.run_id WHERE p.run_id = $1`,
        [apiReportRunId],
      );
      expect(new Date(report.startUtc).getTime()).toBe(reportedAt.getTime());
      expect(new Date(report.startUtc).getTime()).not.toBe(runStart.getTime());
      expect(overview.latestPain?.report.runId).toBeNull();
      expect(json).not.toContain(apiReportRunId);
      expect(json).not.toMatch(/ITB from/);
    });

    it('runs: only the outing a FIT file also has, without its Strava title', () => {
      expect(overview.runRatios.map((run) => run.runId)).toEqual([mergedRunId]);
      expect(overview.latestRun).toMatchObject({ id: mergedRunId, name: null });
      expect(json).not.toContain(TEMPO);
    });

    it('runs list and run pages: only the outing a FIT file also has, without Strava title, gear, source or alert facts', async () => {
      const list = await get<{ runs: { id: string }[] }>(coach, `/api/runs?runnerId=${runner.id}`);
      expect(list.status).toBe(200);
      expect(list.body.runs).toEqual([expect.objectContaining({ id: mergedRunId, name: null, shoeName: null, sources: ['fit'] })]);
      const run = await get<{ alerts: { detailsWithheld: boolean; facts: object }[] }>(coach, `/api/runs/${mergedRunId}`);
      expect(run.status).toBe(200);
      expect(run.body.alerts.filter((alert) => !alert.detailsWithheld || Object.keys(alert.facts).length)).toEqual([]);
      expect((await get(coach, `/api/runs/${apiReportRunId}`)).status).toBe(403);
      for (const page of [`/runners/${runner.id}/runs`, `/runs/${mergedRunId}`]) {
        const html = await get(coach, page);
        expect(html.status).toBe(200);
        for (const secret of [SHOE, TEMPO, 'ITB from', apiReportRunId]) expect(html.text).not.toContain(secret);
      }
    });

    it('the runner page (HTML) says what is withheld and shows none of it', async () => {
      const page = await get(coach, `/runners/${runner.id}`);
      expect(page.status).toBe(200);
      expect(page.text).toContain('only which kind it is and since when');
      for (const secret of [SHOE, TEMPO, 'ITB from']) expect(page.text).not.toContain(secret);
    });

    it('team view: the latest pain without its run, no Strava shoe, open alerts by type', async () => {
      const { status, body, text } = await get<{
        rows: { latestPain: { report: { runId: string | null } } | null; shoe: unknown; openAlerts: { rule: string }[] }[];
      }>(coach, `/api/teams/${teamId}`);
      expect(status).toBe(200);
      const [row] = body.rows;
      expect(row.latestPain?.report.runId).toBeNull();
      expect(row.shoe).toBeNull();
      expect(row.openAlerts.map((alert) => alert.rule)).toEqual(expect.arrayContaining(['single-run-spike', 'worn-shoes', 'pain-earlier']));
      for (const secret of [SHOE, TEMPO, apiReportRunId]) expect(text).not.toContain(secret);
    });

    it('coach digest: alerts by type and only the pain the runner reported in Deload', async () => {
      const week = isoWeekOf(new Date(Date.now() - DAY_MS).toISOString().slice(0, 10));
      await stack.api.get(CoachDigestService).send(coach.user.id, week);
      await sink.waitFor(() => sink.to(coach.user.email).length > 0);
      const [digest] = sink.to(coach.user.email);
      expect(digest.text).toMatch(/worn shoes/);
      // The runner reported pain twice on the day before today: once in a Strava title (withheld), once in Deload.
      expect(digest.text).toContain('pain reported on 1 run');
      expect(digest.text).not.toContain(SHOE);
    });
  });

  it('a coach on a deployment with Strava sharing, whose runner consented, sees the facts (the control)', async () => {
    await stack.db.query(`UPDATE memberships SET scope = '{"stravaData": true}' WHERE team_id = $1`, [teamId]);
    const sharing = await startStack({ api: true, env: { ...stack.env, STRAVA_COACH_SHARING: 'true' } });
    try {
      const { body } = await overviewAs(coach, sharing.url);
      expect(body.view.includeStravaData).toBe(true);
      expect(body.alerts.find((alert) => alert.rule === 'worn-shoes')).toMatchObject({ detailsWithheld: false, facts: { shoeName: SHOE } });
      expect(body.pain).toHaveLength(4);
      const runs = await get<{ total: number; runs: { name: string | null }[] }>(coach, `/api/runs?runnerId=${runner.id}`, sharing.url);
      expect(runs.body.total).toBeGreaterThan(30);
      expect(runs.body.runs.map((run) => run.name)).toContain(TEMPO);
    } finally {
      await sharing.stop();
      await stack.db.query(`UPDATE memberships SET scope = '{"stravaData": false}' WHERE team_id = $1`, [teamId]);
    }
  });

  it('a deauthorization removes every fact derived from Strava: its alerts, pain read from titles, titles of runs that stay', async () => {
    const stravaAlerts: { id: string }[] = await stack.db.query(`SELECT id FROM alerts WHERE user_id = $1 AND uses_strava_data`, [
      runner.id,
    ]);
    expect(stravaAlerts.length).toBeGreaterThanOrEqual(3);
    await stack.fake.athleteDeauthorized(athleteId);
    await waitFor(
      'the deauthorization',
      async () => !(await stack.db.query(`SELECT 1 FROM strava_connections WHERE user_id = $1`, [runner.id]))[0],
    );
    const ids = stravaAlerts.map((alert) => alert.id);
    expect(await stack.db.query(`SELECT id FROM alerts WHERE id = ANY($1::uuid[])`, [ids])).toEqual([]);
    expect(await stack.db.query(`SELECT 1 FROM pain_reports WHERE user_id = $1 AND source = 'strava_tag'`, [runner.id])).toEqual([]);
    expect(await stack.db.query(`SELECT id, name, source FROM runs WHERE user_id = $1`, [runner.id])).toEqual([
      { id: mergedRunId, name: null, source: 'fit' },
    ]);
    for (const who of [runnerSession, coach]) {
      const { text, body } = await overviewAs(who);
      expect(body.alerts.filter((alert) => ids.includes(alert.id))).toEqual([]);
      for (const secret of [SHOE, TEMPO, 'ITB from']) expect(text).not.toContain(secret);
      expect(text).not.toMatch(/"distanceM":22000|22 km/);
    }
  });
});
