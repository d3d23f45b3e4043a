import { NestExpressApplication } from '@nestjs/platform-express';
import { TEAM_PAGE_SIZE } from '../../libs/dashboard/src';
import { TeamsService } from '../../libs/teams/src';
import { UsersService } from '../../libs/users/src';
import { signIn, SignedIn, uniqueEmail } from '../support/sessions';
import { Stack, startStack } from '../support/stack';
import { TrainingData } from '../support/training-data';

describe('dashboard pages and API documentation', () => {
  let stack: Stack;
  let app: NestExpressApplication;
  let url: string;

  beforeAll(async () => {
    stack = await startStack({ api: true, env: { PUBLIC_URL: 'https://deload.example' } });
    ({ api: app, url } = stack);
  });

  afterAll(() => stack?.stop());

  const page = async (who: SignedIn | undefined, path: string) =>
    fetch(`${url}${path}`, { headers: { accept: 'text/html', ...(who ? { cookie: who.cookie } : {}) }, redirect: 'manual' });

  const post = async (who: SignedIn, path: string, fields: Record<string, string> = {}) =>
    fetch(`${url}${path}`, {
      method: 'POST',
      headers: { accept: 'text/html', cookie: who.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: who.csrfToken, ...fields }),
      redirect: 'manual',
    });

  it('walks a coach and a runner through creating, joining, viewing and leaving a team with forms', async () => {
    const coach = await signIn(app);
    const runner = await signIn(app);

    const created = await post(coach, '/teams', { name: 'Morning crew' });
    expect(created.status).toBe(303);
    const teamPath = created.headers.get('location')!;
    expect(teamPath).toMatch(/^\/teams\/[0-9a-f-]{36}$/);
    const teamPage = await (await page(coach, teamPath)).text();
    expect(teamPage).toContain('<h1>Morning crew</h1>');
    const inviteUrl = teamPage.match(/value="(https:\/\/deload\.example\/join\/[^"]+)"/)![1];
    const invitePath = new URL(inviteUrl).pathname;

    const anonymous = await (await page(undefined, invitePath)).text();
    expect(anonymous).toContain('Here is exactly what they would see');
    expect(anonymous).toContain('Runs, shoes and notes synced from Strava');
    expect(anonymous).toContain('Not shared: </span>Runs, shoes and notes synced from Strava');
    expect(anonymous).toContain(`href="/login?next=${encodeURIComponent(invitePath)}"`);

    const accepted = await post(runner, `${invitePath}/accept`);
    expect(accepted.status).toBe(303);
    expect(await (await page(runner, invitePath)).text()).toContain('You share your training with');
    expect(await (await page(coach, teamPath)).text()).toContain(`href="/runners/${runner.user.id}"`);

    const teamsPage = await (await page(runner, '/teams')).text();
    expect(teamsPage).toContain('Morning crew');
    const left = await post(runner, `${teamPath}/leave`);
    expect(left.status).toBe(303);
    expect(await (await page(coach, teamPath)).text()).not.toContain(`href="/runners/${runner.user.id}"`);
    expect((await page(coach, `/runners/${runner.user.id}`)).status).toBe(403);
  });

  it('makes the old invite link stop working when the coach makes a new one', async () => {
    const coach = await signIn(app, { role: 'coach' });
    const team = await app.get(TeamsService).create(coach.user, 'Rotating');
    const rotated = await post(coach, `/teams/${team.id}/invite`);
    expect(rotated.headers.get('location')).toBe(`/teams/${team.id}#invite`);
    const old = await page(coach, `/join/${team.inviteCode}`);
    expect(old.status).toBe(404);
    expect(await old.text()).toContain('this invite link is not valid (any more)');
  });

  it('answers a bad form or query with a page that says what is wrong', async () => {
    const coach = await signIn(app);
    const empty = await post(coach, '/teams', { name: '  ' });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('give the team a name');
    const team = await app.get(TeamsService).create(coach.user, 'Sorted');
    const badSort = await page(coach, `/teams/${team.id}?sort=shoe-size`);
    expect(badSort.status).toBe(400);
    expect(await badSort.text()).toContain('sort: must be one of attention, name, last7, change, longest, acwr, pain, shoes');
    const api = await fetch(`${url}/api/teams/${team.id}?order=up`, { headers: { cookie: coach.cookie } });
    expect(api.status).toBe(400);
    expect(await api.json()).toMatchObject({ error: 'invalid', message: 'order: must be asc or desc' });
    for (const bad of ['0', '-1', 'two']) {
      const badPage = await fetch(`${url}/api/teams/${team.id}?page=${bad}`, { headers: { cookie: coach.cookie } });
      expect(badPage.status).toBe(400);
      expect(await badPage.json()).toMatchObject({ error: 'invalid', message: 'page: must be a page number from 1' });
    }
  });

  it('pages a big team on the page and in the API, sorted across the pages', async () => {
    const coach = await signIn(app, { role: 'coach' });
    const teams = app.get(TeamsService);
    const team = await teams.create(coach.user, 'Big club');
    const data = new TrainingData(app);
    for (let index = 0; index <= TEAM_PAGE_SIZE; index++) {
      const member = await app.get(UsersService).findOrCreate(uniqueEmail(`club${index}`), { timezone: 'UTC' });
      // the one runner with a run sorts first by the last 7 days
      if (index === TEAM_PAGE_SIZE) await data.run(member.id, { daysAgo: 1, distanceKm: 9 });
      await teams.answer(member, team.inviteCode, 'accept');
    }
    const rowsOf = (html: string) => html.match(/<tr class="[^"]*" data-runner-id="/g) ?? [];
    const first = await (await page(coach, `/teams/${team.id}?sort=last7&order=desc`)).text();
    expect(rowsOf(first)).toHaveLength(TEAM_PAGE_SIZE);
    // each sparkline carries its weeks (charts.js draws them without asking the API for the whole team again)
    expect(first.match(/data-weeks="\[\{&quot;weekStart&quot;:/g)).toHaveLength(TEAM_PAGE_SIZE);
    expect(first).toContain(`href="?sort=last7&amp;order=desc&amp;page=2" rel="next"`);
    expect(first).toContain(`runners 1–${TEAM_PAGE_SIZE} of ${TEAM_PAGE_SIZE + 1}`);
    const second = await (await page(coach, `/teams/${team.id}?sort=last7&order=desc&page=2`)).text();
    expect(rowsOf(second)).toHaveLength(1);
    expect(second).toContain(`href="?sort=last7&amp;order=desc&amp;page=1" rel="prev"`);
    const api = async (query: string) =>
      (await (await fetch(`${url}/api/teams/${team.id}${query}`, { headers: { cookie: coach.cookie } })).json()) as {
        rows: { summary: { last7DaysM: number } }[];
        pageCount: number;
        shownRunners: number;
        query: { page: number };
      };
    const [apiFirst, apiSecond, ascending] = await Promise.all([
      api('?sort=last7'),
      api('?sort=last7&page=2'),
      api('?sort=last7&order=asc&page=2'),
    ]);
    expect([apiFirst.pageCount, apiFirst.shownRunners, apiFirst.rows.length, apiSecond.rows.length]).toEqual([
      2,
      TEAM_PAGE_SIZE + 1,
      TEAM_PAGE_SIZE,
      1,
    ]);
    expect(apiFirst.rows[0].summary.last7DaysM).toBe(9000);
    expect(ascending.rows.map((row) => row.summary.last7DaysM)).toEqual([9000]);
    expect(apiSecond.query.page).toBe(2);
  });

  it('renders a runner’s page with its charts’ data tables, alerts with their email, and imports', async () => {
    const runner = await signIn(app);
    const data = new TrainingData(app);
    await data.steadyBase(runner.user.id, { days: 40, km: 6, endDaysAgo: 3 });
    const long = await data.run(runner.user.id, { daysAgo: 1, distanceKm: 16 });
    await data.pain(runner.user.id, long, { onsetKm: 9 });
    await data.alert(runner.user.id, { rule: 'single-run-spike', severity: 'high', notified: true });
    const html = await (await page(runner, '/me')).text();
    expect(html).toContain('<h1>Your training</h1>');
    for (const id of ['chart-weekly', 'chart-ratios', 'chart-acwr', 'chart-pain']) expect(html).toContain(`id="${id}"`);
    expect(html).toContain('Worth a look');
    expect(html).toContain('One run much longer than usual');
    expect(html).toMatch(/Emailed \d+ \w+ \d{4}, \d\d:\d\d/);
    expect(html).toContain('The email: “');
    expect(html).toContain('Cut the next 7 days by 20–30 %.');
    expect(html).toContain('How did your');
    expect(html).toContain(`action="/runs/${long.id}/pain"`);
    expect(html).toContain('No files imported.');
    expect(html).toContain('/assets/vendor/chartjs/chart.umd.min.js');
  });

  it('serves Chart.js and the chart script from this server', async () => {
    const chartJs = await fetch(`${url}/assets/vendor/chartjs/chart.umd.min.js`);
    expect(chartJs.status).toBe(200);
    expect(await chartJs.text()).toContain('Chart.js v4');
    expect((await fetch(`${url}/assets/charts.js`)).status).toBe(200);
  });

  it('documents the JSON API with OpenAPI at /api/docs, without the pages', async () => {
    const ui = await fetch(`${url}/api/docs`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger-ui');
    const document = (await (await fetch(`${url}/api/docs-json`)).json()) as {
      openapi: string;
      paths: Record<string, Record<string, { requestBody?: unknown }>>;
    };
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths).sort()).toEqual([
      '/api/alerts/{id}/acknowledge',
      '/api/alerts/{id}/dismiss',
      '/api/alerts/{id}/response',
      '/api/imports/{id}',
      '/api/invites/{code}',
      '/api/invites/{code}/accept',
      '/api/invites/{code}/decline',
      '/api/login',
      '/api/me',
      '/api/me/email',
      '/api/runners/{runnerId}/imports',
      '/api/runners/{runnerId}/overview',
      '/api/runs',
      '/api/runs/files',
      '/api/runs/{id}',
      '/api/runs/{id}/pain',
      '/api/settings',
      '/api/shoes',
      '/api/shoes/{shoeId}',
      '/api/shoes/{shoeId}/retire',
      '/api/shoes/{shoeId}/unretire',
      '/api/teams',
      '/api/teams/{teamId}',
      '/api/teams/{teamId}/invite',
      '/api/teams/{teamId}/leave',
    ]);
    expect(document.paths['/api/runs'].patch.requestBody).toMatchObject({
      content: { 'application/json': { schema: { required: ['runIds', 'shoeId'] } } },
    });
    expect(Object.keys(document.paths['/api/runs/{id}']).sort()).toEqual(['delete', 'get', 'patch']);
    expect(document.paths['/api/settings'].patch.requestBody).toMatchObject({
      content: { 'application/json': { schema: { properties: { units: { enum: ['km', 'mi'] } } } } },
    });
    expect(document.paths['/api/alerts/{id}/dismiss'].post.requestBody).toMatchObject({
      content: {
        'application/json': { schema: { properties: { reason: { enum: ['planned-race', 'seeing-physio', 'wrong-data', 'other'] } } } },
      },
    });
  });
});
