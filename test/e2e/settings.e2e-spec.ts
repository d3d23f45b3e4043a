import { NestExpressApplication } from '@nestjs/platform-express';
import { UsersService } from '../../libs/users/src';
import { JobQueue } from '../../libs/queue/src';
import { apiCall, formPost } from '../support/requests';
import { signIn, SignedIn } from '../support/sessions';
import { Stack, startStack } from '../support/stack';

describe('settings: preferences and thresholds', () => {
  let stack: Stack;
  let app: NestExpressApplication;
  let url: string;

  beforeAll(async () => {
    stack = await startStack({ api: true });
    ({ api: app, url } = stack);
  });

  afterAll(() => stack?.stop());

  const api = (who: SignedIn, path: string, method = 'GET', body?: unknown) => apiCall(url, who, path, method, body);
  const form = (who: SignedIn, path: string, fields: Record<string, string | string[]>) => formPost(url, who, path, fields);

  /** Evaluation requests waiting for the worker (no worker runs in this test). */
  async function evaluationsRequested(userId: string): Promise<string[]> {
    const jobs = await app.get(JobQueue).queue('evaluate').getJobs(['waiting', 'delayed', 'prioritized']);
    return jobs.filter((job) => job?.data.userId === userId).map((job) => job.data.reason);
  }

  it('changes preferences through the API and asks for a new evaluation when the rules are affected', async () => {
    const runner = await signIn(app);
    const changed = await api(runner, '/api/settings', 'PATCH', {
      units: 'mi',
      timezone: 'Europe/Oslo',
      ruleThresholds: { 'weekly-increase': { caution: 1.4 } },
    });
    expect(changed.status).toBe(200);
    const body = (await changed.json()) as {
      units: string;
      timezone: string;
      effectiveThresholds: { 'weekly-increase': { caution: number } };
    };
    expect(body).toMatchObject({ units: 'mi', timezone: 'Europe/Oslo', ruleThresholds: { 'weekly-increase': { caution: 1.4 } } });
    expect(body.effectiveThresholds['weekly-increase'].caution).toBe(1.4);
    expect(await evaluationsRequested(runner.user.id)).toEqual(['settings']);

    const emailOnly = await signIn(app);
    expect((await api(emailOnly, '/api/settings', 'PATCH', { emailWeeklySummary: false })).status).toBe(200);
    expect(await evaluationsRequested(emailOnly.user.id)).toEqual([]);
  });

  it('sets the alert email level through the API: all, strongest or none', async () => {
    const runner = await signIn(app);
    expect(await (await api(runner, '/api/settings')).json()).toMatchObject({ alertEmails: 'all' });
    const changed = await api(runner, '/api/settings', 'PATCH', { alertEmails: 'none' });
    expect(changed.status).toBe(200);
    expect(await changed.json()).toMatchObject({ alertEmails: 'none', emailWeeklySummary: true });
    expect(await app.get(UsersService).byId(runner.user.id)).toMatchObject({ alertEmails: 'none' });
    // Turning alerts back on looks again at once, so what is open now can still be emailed.
    await api(runner, '/api/settings', 'PATCH', { alertEmails: 'all' });
    expect(await evaluationsRequested(runner.user.id)).toEqual(['settings']);
    const refused = await api(runner, '/api/settings', 'PATCH', { alertEmails: 'sometimes' });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { message: string }).message).toContain('alertEmails: must be one of all, strongest, none');
  });

  it('refuses bad values with the reason and changes nothing', async () => {
    const runner = await signIn(app);
    for (const [body, message] of [
      [{ timezone: 'Mars/Olympus' }, 'timezone: must be an IANA time zone such as Europe/Oslo'],
      [{ units: 'furlongs' }, 'units: must be km or mi'],
      [
        { ruleThresholds: { 'weekly-increase': { caution: 0.8 } } },
        'invalid rule thresholds: weekly-increase.caution must be greater than 1 (got 0.8)',
      ],
      [{ ruleThresholds: { 'no-such-rule': {} } }, 'unknown setting "no-such-rule"'],
      [{ units: 'mi', favouriteColour: 'green' }, 'Unrecognized key: "favouriteColour"'],
    ] as [Record<string, unknown>, string][]) {
      const response = await api(runner, '/api/settings', 'PATCH', body);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { message: string }).message).toContain(message);
    }
    expect(await app.get(UsersService).byId(runner.user.id)).toMatchObject({ units: 'km', timezone: 'UTC', ruleThresholds: {} });
    expect(await evaluationsRequested(runner.user.id)).toEqual([]);
  });

  it('saves the settings forms and explains a bad threshold in the form’s words', async () => {
    const runner = await signIn(app);
    const saved = await form(runner, '/settings', {
      displayName: 'Ada',
      units: 'km',
      timezone: 'America/New_York',
      alertEmails: 'strongest',
      painCheckin: 'on',
    });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe('/settings?saved=preferences');
    expect(await app.get(UsersService).byId(runner.user.id)).toMatchObject({
      displayName: 'Ada',
      timezone: 'America/New_York',
      alertEmails: 'strongest',
      emailWeeklySummary: false,
      painCheckin: 'on',
    });
    const page = await (
      await fetch(`${url}/settings?saved=preferences`, { headers: { cookie: runner.cookie, accept: 'text/html' } })
    ).text();
    expect(page).toContain('Saved.');
    expect(page).toContain('<option value="America/New_York" selected>');
    expect(page).toContain('<input type="radio" name="alertEmails" value="strongest" checked>');
    expect(page).toContain('None: show them in my weekly summary only');

    const thresholds = await form(runner, '/settings/thresholds', {
      'weekly-increase.enabled': 'true',
      'weekly-increase.caution': '20',
      'single-run-spike.enabled': 'true',
    });
    expect(thresholds.status).toBe(303);
    expect((await app.get(UsersService).byId(runner.user.id)).ruleThresholds).toEqual({
      'weekly-increase': { caution: 1.2 },
      'pain-earlier': { enabled: false },
      'worn-shoes': { enabled: false },
      'cadence-drop': { enabled: false },
      'downhill-spike': { enabled: false },
      monotony: { enabled: false },
    });

    const bad = await form(runner, '/settings/thresholds', { 'single-run-spike.caution': '50', 'single-run-spike.high': '20' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('“High when it is this much longer” must be greater than “Caution when a run is this much longer');

    const reset = await form(runner, '/settings/thresholds/reset', {});
    expect(reset.status).toBe(303);
    expect((await app.get(UsersService).byId(runner.user.id)).ruleThresholds).toEqual({});
  });
});
