import { DataSource } from 'typeorm';
import { uniqueEmail } from '../../../../test/support/sessions';
import { openTestDatabase } from '../../../../test/support/test-database';
import { EmailDeliveryEntity, RunEntity, TeamEntity, UserEntity } from '../entities';
import { UsersRepository } from './users.repository';

describe('UsersRepository against PostgreSQL', () => {
  let db: DataSource;
  let users: UsersRepository;

  beforeAll(async () => {
    db = await openTestDatabase();
    users = new UsersRepository(db);
  });
  afterAll(() => db.destroy());

  async function addRun(user: UserEntity, startUtc: Date, spec: { isRun?: boolean; timezone?: string | null } = {}): Promise<void> {
    await db.getRepository(RunEntity).insert({
      userId: user.id,
      source: 'fit',
      externalId: `run-${Math.random().toString(36).slice(2)}`,
      sport: spec.isRun === false ? 'ride' : 'run',
      isRun: spec.isRun ?? true,
      startUtc,
      utcOffsetS: 0,
      timezone: spec.timezone ?? null,
      distanceM: 5000,
    });
  }

  it('creates an account once for an address, also when two sign-ins race, and finds it by id and address', async () => {
    const email = uniqueEmail();
    const [first, second] = await Promise.all([
      users.findOrCreate(email, { role: 'coach', displayName: 'Kari' }),
      users.findOrCreate(email, { role: 'coach', displayName: 'Kari' }),
    ]);
    expect(second.id).toBe(first.id);
    expect(first).toMatchObject({ email, role: 'coach', displayName: 'Kari', timezone: 'UTC', isAdmin: false });
    expect((await users.findOrCreate(email, { role: 'runner' })).role).toBe('coach');
    expect((await users.byEmail(email))?.id).toBe(first.id);
    expect((await users.byId(first.id))?.email).toBe(email);
    expect(await users.byId('00000000-0000-0000-0000-000000000000')).toBeNull();
    await expect(users.byIdOrFail('00000000-0000-0000-0000-000000000000')).rejects.toThrow();
  });

  it('finds several users at once and none for no ids', async () => {
    const [a, b] = await Promise.all([users.findOrCreate(uniqueEmail()), users.findOrCreate(uniqueEmail())]);
    expect((await users.byIds([a.id, b.id])).map((user) => user.id).sort()).toEqual([a.id, b.id].sort());
    expect(await users.byIds([])).toEqual([]);
  });

  it('updates the given columns (inside a transaction that may roll back) and sets a role', async () => {
    const user = await users.findOrCreate(uniqueEmail());
    await users.update(user.id, { units: 'mi', emailWeeklySummary: false });
    expect(await users.byId(user.id)).toMatchObject({ units: 'mi', emailWeeklySummary: false, alertEmails: 'all' });
    await expect(
      db.transaction(async (tx) => {
        await users.update(user.id, { units: 'km' }, tx);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect((await users.byId(user.id))?.units).toBe('mi');
    const both = await users.setRole(user, 'both');
    expect(both.role).toBe('both');
    expect((await users.byId(user.id))?.role).toBe('both');
  });

  it('lists the operators by address', async () => {
    const [b, a] = [await users.findOrCreate(uniqueEmail('zz-admin')), await users.findOrCreate(uniqueEmail('aa-admin'))];
    await users.update(a.id, { isAdmin: true });
    await users.update(b.id, { isAdmin: true });
    const emails = (await users.admins()).map((admin) => admin.email);
    expect(emails.indexOf(a.email)).toBeGreaterThanOrEqual(0);
    expect(emails.indexOf(a.email)).toBeLessThan(emails.indexOf(b.email));
    expect(emails).toEqual([...emails].sort());
  });

  it('changes an address only from the address the link was made for, and never onto another account’s', async () => {
    const user = await users.findOrCreate(uniqueEmail());
    const other = await users.findOrCreate(uniqueEmail());
    const to = uniqueEmail('new');
    expect(await users.changeEmail(user.id, 'stale@example.test', to)).toBe('address-moved');
    expect(await db.transaction((tx) => users.changeEmail(user.id, user.email, other.email, tx))).toBe('taken');
    expect(await users.changeEmail(user.id, user.email, to)).toBe('changed');
    expect((await users.byId(user.id))?.email).toBe(to);
  });

  it('marks a runner synced now, and after a Strava history import adopts the zone of their latest run while still on UTC', async () => {
    const before = new Date(Date.now() - 1000);
    const uploader = await users.findOrCreate(uniqueEmail());
    await users.markSynced(uploader.id);
    expect((await users.byId(uploader.id))!.lastSyncedAt!.getTime()).toBeGreaterThanOrEqual(before.getTime());

    const utcRunner = await users.findOrCreate(uniqueEmail());
    await addRun(utcRunner, new Date('2026-03-01T07:00:00Z'), { timezone: 'Europe/Oslo' });
    await addRun(utcRunner, new Date('2026-03-03T07:00:00Z'), { timezone: 'America/New_York' });
    await addRun(utcRunner, new Date('2026-03-05T07:00:00Z'), { timezone: null });
    await db.transaction((tx) => users.markHistoryImported(utcRunner.id, tx));
    const adopted = await users.byId(utcRunner.id);
    expect(adopted?.timezone).toBe('America/New_York');
    expect(adopted!.lastSyncedAt!.getTime()).toBeGreaterThanOrEqual(before.getTime());

    const zoned = await users.findOrCreate(uniqueEmail(), { timezone: 'Europe/Berlin' });
    await addRun(zoned, new Date('2026-03-01T07:00:00Z'), { timezone: 'Europe/Oslo' });
    await users.markHistoryImported(zoned.id);
    expect((await users.byId(zoned.id))?.timezone).toBe('Europe/Berlin');

    const noRuns = await users.findOrCreate(uniqueEmail());
    await users.markHistoryImported(noRuns.id);
    expect((await users.byId(noRuns.id))?.timezone).toBe('UTC');
  });

  it('pages through the runners who ran since a date, in id order', async () => {
    const since = new Date(Date.now() - 10 * 86_400_000);
    const recent = await Promise.all([1, 2, 3].map(() => users.findOrCreate(uniqueEmail(), { role: 'runner' })));
    for (const runner of recent) await addRun(runner, new Date());
    const old = await users.findOrCreate(uniqueEmail(), { role: 'runner' });
    await addRun(old, new Date(since.getTime() - 86_400_000));
    const rider = await users.findOrCreate(uniqueEmail(), { role: 'runner' });
    await addRun(rider, new Date(), { isRun: false });
    const coach = await users.findOrCreate(uniqueEmail('coach'), { role: 'coach' });
    await addRun(coach, new Date());

    const seen: string[] = [];
    for (let cursor = '00000000-0000-0000-0000-000000000000'; ;) {
      const page = await users.runnersWhoRanSince(since, cursor, 2);
      expect(page.length).toBeLessThanOrEqual(2);
      seen.push(...page);
      if (page.length < 2) break;
      cursor = page[page.length - 1];
    }
    expect(seen).toEqual([...seen].sort());
    for (const runner of recent) expect(seen).toContain(runner.id);
    for (const left of [old, rider, coach]) expect(seen).not.toContain(left.id);
  });

  it('finds who is due a weekly email on Monday morning in their zone, until it was sent or skipped', async () => {
    // Monday 2026-03-09, 08:30 in Oslo, 07:30 in UTC, 03:30 in New York; the week that ended is 2026-W10.
    const mondayMorning = new Date('2026-03-09T07:30:00Z');
    const oslo = await users.findOrCreate(uniqueEmail(), { role: 'runner', timezone: 'Europe/Oslo' });
    const newYork = await users.findOrCreate(uniqueEmail(), { role: 'runner', timezone: 'America/New_York' });
    const unknownZone = await users.findOrCreate(uniqueEmail(), { role: 'runner', timezone: 'Mars/Olympus' });
    const optedOut = await users.findOrCreate(uniqueEmail(), { role: 'runner', timezone: 'Europe/Oslo' });
    await users.update(optedOut.id, { emailWeeklySummary: false });
    const coach = await users.findOrCreate(uniqueEmail('coach'), { role: 'coach', timezone: 'Europe/Oslo' });
    const teamless = await users.findOrCreate(uniqueEmail('coach'), { role: 'coach', timezone: 'Europe/Oslo' });
    await db.getRepository(TeamEntity).insert({ name: 'Digest', coachId: coach.id, inviteCode: `code-${coach.id}` });

    const summaries = await users.dueWeeklyEmail('weekly-summary', mondayMorning, 7);
    const dueIds = summaries.map((row) => row.id);
    expect(summaries.find((row) => row.id === oslo.id)).toEqual({ id: oslo.id, week: '2026-W10' });
    expect(summaries.find((row) => row.id === unknownZone.id)).toEqual({ id: unknownZone.id, week: '2026-W10' });
    for (const notDue of [newYork, optedOut, coach]) expect(dueIds).not.toContain(notDue.id);

    const digests = (await users.dueWeeklyEmail('coach-digest', mondayMorning, 7)).map((row) => row.id);
    expect(digests).toContain(coach.id);
    expect(digests).not.toContain(teamless.id);
    expect(digests).not.toContain(oslo.id);

    await db.getRepository(EmailDeliveryEntity).insert({
      kind: 'weekly-summary',
      dedupeKey: `${oslo.id}-2026-W10`,
      userId: oslo.id,
      messageId: `<test-${oslo.id}@example.test>`,
      status: 'skipped',
    });
    expect((await users.dueWeeklyEmail('weekly-summary', mondayMorning, 7)).map((row) => row.id)).not.toContain(oslo.id);
    expect((await users.dueWeeklyEmail('weekly-summary', mondayMorning, 8)).map((row) => row.id)).not.toContain(unknownZone.id);
  });

  it('locks users for the transaction and deletes an account', async () => {
    const [a, b] = await Promise.all([users.findOrCreate(uniqueEmail()), users.findOrCreate(uniqueEmail())]);
    await db.transaction(async (tx) => {
      await users.lock([b.id, a.id], tx);
      // Another connection cannot lock them meanwhile.
      await expect(db.query(`SELECT id FROM users WHERE id = $1 FOR UPDATE NOWAIT`, [a.id])).rejects.toMatchObject({ code: '55P03' });
      await users.remove(a.id, tx);
    });
    expect(await users.byId(a.id)).toBeNull();
    expect(await users.byId(b.id)).not.toBeNull();
  });
});
