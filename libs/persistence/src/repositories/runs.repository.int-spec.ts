import { DataSource } from 'typeorm';
import { addPainReport, addRun, addShoe, addUser, openTestDatabase } from '../../test/fixtures';
import { RunEntity } from '../entities';
import { RunsRepository } from './runs.repository';

describe('RunsRepository against PostgreSQL', () => {
  let db: DataSource;
  let runs: RunsRepository;

  beforeAll(async () => {
    db = await openTestDatabase();
    runs = new RunsRepository(db);
  });
  afterAll(() => db?.destroy());

  it('reads the running activities of a window, oldest first, and when the history began', async () => {
    const { id: userId } = await addUser(db);
    await addRun(db, userId, { start: '2024-01-01T08:00:00Z' });
    const late = await addRun(db, userId, { start: '2024-05-03T08:00:00Z' });
    const early = await addRun(db, userId, { start: '2024-05-01T08:00:00Z' });
    await addRun(db, userId, { start: '2024-05-02T08:00:00Z', isRun: false });
    await addRun(db, userId, { start: '2024-06-01T08:00:00Z' });
    const window = await runs.runsInWindow(userId, new Date('2024-04-30T00:00:00Z'), new Date('2024-05-31T00:00:00Z'));
    expect(window.map((run) => run.id)).toEqual([early.id, late.id]);
    expect(await runs.firstRunStart(userId, new Date('2024-05-31T00:00:00Z'))).toEqual(new Date('2024-01-01T08:00:00Z'));
    expect(await runs.firstRunStart(userId, new Date('2023-12-31T00:00:00Z'))).toBeNull();
  });

  it('tells runs only Strava has from runs a file brought too', async () => {
    const { id: userId } = await addUser(db);
    const fromFile = await addRun(db, userId, { start: '2024-05-01T08:00:00Z', source: 'fit' });
    const both = await addRun(db, userId, {
      start: '2024-05-02T08:00:00Z',
      source: 'strava',
      alsoFrom: [{ source: 'fit', externalId: 'f-both' }],
    });
    const stravaOnly = await addRun(db, userId, { start: '2024-05-03T08:00:00Z', source: 'strava' });
    expect(await runs.anyOnlyFromStrava([fromFile.id, both.id])).toBe(false);
    expect(await runs.anyOnlyFromStrava([fromFile.id, stravaOnly.id])).toBe(true);
    expect(await runs.anyOnlyFromStrava([])).toBe(false);
  });

  it('serialises two transactions on one runner with the runner data lock', async () => {
    const { id: userId } = await addUser(db);
    const order: string[] = [];
    let releaseFirst!: () => void;
    const firstHolds = new Promise<void>((resolve) => (releaseFirst = resolve));
    const first = db.transaction(async (tx) => {
      await runs.lockRunnerData(userId, tx);
      order.push('first locked');
      await firstHolds;
      order.push('first done');
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const second = db.transaction(async (tx) => {
      await runs.lockRunnerData(userId, tx);
      order.push('second locked');
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(order).toEqual(['first locked']);
    releaseFirst();
    await Promise.all([first, second]);
    expect(order).toEqual(['first locked', 'first done', 'second locked']);
  });

  it('stores runs and their records, and finds them by record and by start', async () => {
    const { id: userId } = await addUser(db);
    const run = await runs.insert({
      userId,
      source: 'fit',
      externalId: 'file-1',
      sport: 'run',
      isRun: true,
      startUtc: new Date('2024-05-01T08:00:00Z'),
      utcOffsetS: 0,
      distanceM: 8000,
    });
    await runs.addRecord({ runId: run.id, userId, source: 'fit', externalId: 'file-1' });
    await runs.addRecord({ runId: run.id, userId, source: 'strava', externalId: '555' });
    expect((await runs.recordOf(userId, 'strava', '555'))?.runId).toBe(run.id);
    expect(await runs.recordOf(userId, 'strava', '556')).toBeNull();
    expect((await runs.recordsOf([run.id])).map((record) => record.source).sort()).toEqual(['fit', 'strava']);
    await runs.update(run.id, { distanceM: 8100 });
    expect((await runs.byIdOrFail(run.id)).distanceM).toBe(8100);
    const around = await runs.startingBetween(userId, new Date('2024-05-01T07:58:00Z'), new Date('2024-05-01T08:02:00Z'));
    expect(around.map((candidate) => candidate.id)).toEqual([run.id]);
    expect(await runs.idStartingAt(userId, new Date('2024-05-01T08:00:00Z'))).toBe(run.id);
    expect(await runs.ownedBy(userId, run.id)).not.toBeNull();
    expect(await runs.ownedBy((await addUser(db)).id, run.id)).toBeNull();
    expect(await runs.hasStravaActivity(userId, '555')).toBe(true);
    expect(await runs.storedStravaActivities(userId, ['555', '777'])).toEqual(['555']);
    expect(await runs.countOf(userId)).toBe(1);
  });

  it('knows whether a newer run came after one', async () => {
    const { id: userId } = await addUser(db);
    const first = await addRun(db, userId, { start: '2024-05-01T08:00:00Z' });
    expect(await runs.hasRunAfter(userId, first.id, first.startUtc)).toBe(false);
    await addRun(db, userId, { start: '2024-05-02T08:00:00Z', isRun: false });
    expect(await runs.hasRunAfter(userId, first.id, first.startUtc)).toBe(false);
    await addRun(db, userId, { start: '2024-05-02T09:00:00Z' });
    expect(await runs.hasRunAfter(userId, first.id, first.startUtc)).toBe(true);
  });

  it('removing a source deletes the runs only it had and shows the others from what is left', async () => {
    const { id: userId } = await addUser(db);
    const only = await addRun(db, userId, { start: '2024-05-01T08:00:00Z', source: 'strava', externalId: 'a1' });
    const shared = await addRun(db, userId, {
      start: '2024-05-02T08:00:00Z',
      source: 'strava',
      externalId: 'a2',
      name: 'Morning Run',
      alsoFrom: [{ source: 'fit', externalId: 'f2' }],
    });
    await runs.clearStravaTextOfSharedRuns(userId);
    expect((await runs.byIdOrFail(shared.id)).name).toBeNull();
    const removed = await db.transaction((tx) => runs.removeRecords(userId, 'strava', undefined, tx));
    expect(removed).toEqual({ sourcesRemoved: 2, runIds: expect.arrayContaining([only.id, shared.id]), runsDeleted: 1 });
    expect(await runs.byId(only.id)).toBeNull();
    expect(await runs.byIdOrFail(shared.id)).toMatchObject({ source: 'fit', externalId: 'f2' });
    expect(await runs.removeRecords(userId, 'fit', ['other'])).toEqual({ sourcesRemoved: 0, runIds: [], runsDeleted: 0 });
  });

  it('sees Strava activities stored or waiting in the webhook inbox', async () => {
    const { id: userId } = await addUser(db);
    await addRun(db, userId, { start: '2024-05-01T08:00:00Z', source: 'strava', externalId: '9001' });
    await db.query(`INSERT INTO webhook_events (provider, dedupe_key, payload, status) VALUES ('strava', $1, $2, 'pending')`, [
      `test-${userId}`,
      { object_type: 'activity', object_id: '9002', owner_id: '42' },
    ]);
    const seen = await runs.stravaActivitiesStoredOrPending(userId, '42', ['9001', '9002', '9003'], 'strava');
    expect(seen.sort()).toEqual(['9001', '9002']);
  });

  it('reads run texts for pain tags and picks the runs due a check-in', async () => {
    const wants = await addUser(db, { painCheckin: 'on', units: 'mi' });
    const auto = await addUser(db, { painCheckin: 'auto' });
    const recent = new Date(Date.now() - 3600_000);
    const run = await addRun(db, wants.id, { start: recent, name: 'Easy 5' });
    const walk = await addRun(db, wants.id, { start: recent, isRun: false });
    const autoRun = await addRun(db, auto.id, { start: recent });
    const [text] = await runs.textsForPainTags([run.id, walk.id]);
    expect(text).toEqual({
      id: run.id,
      userId: wants.id,
      name: 'Easy 5',
      description: null,
      distanceM: 10_000,
      units: 'mi',
      reportSource: null,
    });
    const since = new Date(Date.now() - 36 * 3600_000);
    expect(await runs.checkInCandidates([run.id, walk.id, autoRun.id], since)).toEqual([run.id]);
    // `auto` asks once the runner has ever reported pain.
    await addPainReport(db, await addRun(db, auto.id, { start: '2024-01-01T08:00:00Z' }));
    expect((await runs.checkInCandidates([run.id, autoRun.id], since)).sort()).toEqual([run.id, autoRun.id].sort());
    const missing = await runs.missingCheckIns(since, new Date(Date.now() + 60_000));
    expect(missing).toEqual(expect.arrayContaining([run.id, autoRun.id]));
    await addPainReport(db, autoRun);
    expect(await runs.missingCheckIns(since, new Date(Date.now() + 60_000))).not.toContain(autoRun.id);
  });

  it('shows a coach runs only Strava has, and their titles, only where Strava data may be shown', async () => {
    const { id: userId } = await addUser(db);
    await addRun(db, userId, { start: '2024-05-01T08:00:00Z', source: 'strava', name: 'Strava only' });
    await addRun(db, userId, {
      start: '2024-05-02T08:00:00Z',
      source: 'strava',
      name: 'Both',
      alsoFrom: [{ source: 'fit', externalId: 'b' }],
    });
    await addRun(db, userId, { start: '2024-05-03T08:00:00Z', source: 'fit', name: 'File' });
    const since = new Date('2024-04-01T00:00:00Z');
    expect((await runs.visibleSince([userId], [userId], since)).map((run) => run.name)).toEqual(['Strava only', 'Both', 'File']);
    const limited = await runs.visibleSince([userId], [], since);
    expect(limited.map((run) => run.name)).toEqual([null, 'File']);
    expect(limited[1]).toMatchObject({ userId, distanceM: 10_000, utcOffsetS: 0, source: 'fit' });
    // the team page's lean read: the same runs, with only what a load summary needs
    const distances = await runs.distancesSince([userId], [], since);
    expect(distances).toEqual(limited.map(({ id, startUtc, distanceM }) => ({ id, userId, startUtc, distanceM })));
    expect(await runs.distancesSince([userId], [userId], since)).toHaveLength(3);
  });

  it('adds up a week by the local days of its runs, and the four weeks before', async () => {
    const { id: userId } = await addUser(db);
    // Sunday 23:30 in UTC, Monday 01:30 where it was run: counts for the week.
    await addRun(db, userId, { start: '2024-05-05T23:30:00Z', utcOffsetS: 7200, km: 12, movingS: 3600 });
    await addRun(db, userId, { start: '2024-05-08T08:00:00Z', km: 8, movingS: 2400 });
    await addRun(db, userId, { start: '2024-04-10T08:00:00Z', km: 20, source: 'strava' });
    await addRun(db, userId, { start: '2024-03-01T08:00:00Z', km: 5 });
    const totals = await runs.weekTotals(userId, '2024-04-08', '2024-05-06', '2024-05-12', true);
    expect(totals).toMatchObject({ runs: 2, distanceM: 20_000, longestM: 12_000, movingS: 6000, previousM: 20_000, previousRuns: 1 });
    expect(totals.firstDay).not.toBeNull();
    const withoutStrava = await runs.weekTotals(userId, '2024-04-08', '2024-05-06', '2024-05-12', false);
    expect(withoutStrava).toMatchObject({ runs: 2, previousM: 0, previousRuns: 0 });
  });

  it('merges accounts: finds twins by record or by outing, moves records, shoes and runs', async () => {
    const source = await addUser(db);
    const target = await addUser(db);
    const sourceShoe = await addShoe(db, source.id, { source: 'strava', externalId: 'g1' });
    const targetShoe = await addShoe(db, target.id, { source: 'strava', externalId: 'g1' });
    const sourceRun = await addRun(db, source.id, {
      start: '2024-05-01T08:00:00Z',
      source: 'strava',
      externalId: 's1',
      shoeId: sourceShoe.id,
    });
    await addPainReport(db, sourceRun);
    const targetRun = await addRun(db, target.id, { start: '2024-05-01T08:01:00Z', source: 'fit', externalId: 't1' });
    const [withRecords] = await runs.withRecordsOf(source.id);
    expect(withRecords).toEqual({
      id: sourceRun.id,
      startUtc: sourceRun.startUtc,
      distanceM: 10_000,
      records: [{ source: 'strava', externalId: 's1' }],
      hasPainReport: true,
    });
    expect(await runs.runIdOfAnyRecord(target.id, withRecords.records)).toBeUndefined();
    expect(await runs.runIdOfAnyRecord(target.id, [{ source: 'fit', externalId: 't1' }])).toBe(targetRun.id);
    const candidates = await runs.recordedBetween(target.id, new Date('2024-05-01T07:58:00Z'), new Date('2024-05-01T08:02:00Z'));
    expect(candidates).toEqual([{ id: targetRun.id, startUtc: targetRun.startUtc, distanceM: 10_000, sources: ['fit'] }]);

    await runs.useTargetShoes(source.id, target.id);
    expect((await runs.byIdOrFail(sourceRun.id)).shoeId).toBe(targetShoe.id);
    await runs.moveRecords(sourceRun.id, targetRun.id, target.id);
    expect((await runs.recordsOf([targetRun.id])).map((record) => record.externalId).sort()).toEqual(['s1', 't1']);
    const spare = await addRun(db, source.id, { start: '2024-05-09T08:00:00Z' });
    await runs.delete(sourceRun.id);
    await runs.moveToUser(source.id, target.id);
    expect(await db.getRepository(RunEntity).countBy({ userId: source.id })).toBe(0);
    expect((await runs.byIdOrFail(spare.id)).userId).toBe(target.id);
    expect((await runs.recordsOf([spare.id]))[0].userId).toBe(target.id);
  });

  describe('the runs list (issue 15)', () => {
    it('pages a runner’s activities newest first, filtered by local date and sport, with shoe, sources and pain', async () => {
      const { id: userId } = await addUser(db);
      const shoe = await addShoe(db, userId, { name: 'Pegasus' });
      const late = await addRun(db, userId, { start: '2024-05-03T23:30:00Z', utcOffsetS: 3600, shoeId: shoe.id });
      const early = await addRun(db, userId, { start: '2024-05-01T08:00:00Z', alsoFrom: [{ source: 'strava', externalId: 'a-1' }] });
      const walk = await addRun(db, userId, { start: '2024-05-02T08:00:00Z', isRun: false });
      await addPainReport(db, early, { onsetM: 4000, severity: 3 });
      const all = await runs.listPage(userId, true, {}, { offset: 0, limit: 2 });
      expect(all.total).toBe(3);
      expect(all.runs.map((run) => run.id)).toEqual([late.id, walk.id]);
      expect(all.runs[0]).toMatchObject({ localDate: '2024-05-04', shoeName: 'Pegasus', sources: ['fit'], pain: null, notARun: false });
      const next = await runs.listPage(userId, true, {}, { offset: 2, limit: 2 });
      expect(next.runs.map((run) => run.id)).toEqual([early.id]);
      expect(next.runs[0]).toMatchObject({
        sources: ['fit', 'strava'],
        pain: { hasPain: true, location: 'knee', severity: 3, onsetM: 4000 },
      });
      expect((await runs.listPage(userId, true, {}, { offset: 4, limit: 2 })).total).toBe(3);
      const filtered = await runs.listPage(userId, true, { from: '2024-05-02', to: '2024-05-04', sport: 'run' }, { offset: 0, limit: 50 });
      expect(filtered.runs.map((run) => run.id)).toEqual([late.id]);
      await db.query(`UPDATE runs SET flags = '{summary_only}' WHERE id = $1`, [walk.id]);
      expect((await runs.detailOf(userId, walk.id, true))?.summaryOnly).toBe(true);
    });

    it('shows a viewer without Strava sharing no Strava-only run, Strava title, Strava shoe or Strava source', async () => {
      const { id: userId } = await addUser(db);
      const gear = await addShoe(db, userId, { source: 'strava', name: 'Strava gear' });
      await addRun(db, userId, { start: '2024-05-01T08:00:00Z', source: 'strava' });
      const both = await addRun(db, userId, {
        start: '2024-05-02T08:00:00Z',
        source: 'strava',
        name: 'Morning run',
        shoeId: gear.id,
        alsoFrom: [{ source: 'fit', externalId: 'f-list' }],
      });
      const page = await runs.listPage(userId, false, {}, { offset: 0, limit: 50 });
      expect(page.total).toBe(1);
      expect(page.runs[0]).toMatchObject({ id: both.id, name: null, shoeName: null, sources: ['fit'] });
      expect((await runs.listPage(userId, true, {}, { offset: 0, limit: 50 })).total).toBe(2);
      expect(await runs.detailOf(userId, both.id, false)).toMatchObject({ id: both.id, name: null });
    });

    it('gives a run’s page the longest run of the 30 days before it, and nothing of another runner’s run', async () => {
      const { id: userId } = await addUser(db);
      const { id: otherId } = await addUser(db);
      await addRun(db, userId, { start: '2024-03-01T08:00:00Z', km: 30 });
      await addRun(db, userId, { start: '2024-04-20T08:00:00Z', km: 12 });
      await addRun(db, userId, { start: '2024-04-25T08:00:00Z', km: 20, isRun: false });
      const run = await addRun(db, userId, { start: '2024-05-01T08:00:00Z', km: 15 });
      expect(await runs.detailOf(userId, run.id, true)).toMatchObject({ id: run.id, previousLongestM: 12000, splits: null });
      expect(await runs.detailOf(otherId, run.id, true)).toBeNull();
    });

    it('marks a run "not a run" (no running load) and back, only the runner’s own', async () => {
      const { id: userId } = await addUser(db);
      const { id: otherId } = await addUser(db);
      const run = await addRun(db, userId, { start: '2024-05-01T08:00:00Z' });
      expect(await runs.markNotARun(otherId, run.id, true)).toBe(false);
      expect(await runs.markNotARun(userId, run.id, true)).toBe(true);
      expect(await runs.byIdOrFail(run.id)).toMatchObject({ notARun: true, isRun: false });
      expect(await runs.runsInWindow(userId, new Date('2024-04-01'), new Date('2024-06-01'))).toEqual([]);
      expect(await runs.markNotARun(userId, run.id, false)).toBe(true);
      expect(await runs.byIdOrFail(run.id)).toMatchObject({ notARun: false, isRun: true });
      const walk = await addRun(db, userId, { start: '2024-05-02T08:00:00Z', isRun: false });
      await runs.markNotARun(userId, walk.id, false);
      expect((await runs.byIdOrFail(walk.id)).isRun).toBe(false);
    });

    it('puts only the runner’s own runs on a shoe', async () => {
      const { id: userId } = await addUser(db);
      const { id: otherId } = await addUser(db);
      const shoe = await addShoe(db, userId);
      const mine = await addRun(db, userId, { start: '2024-05-01T08:00:00Z' });
      const theirs = await addRun(db, otherId, { start: '2024-05-01T08:00:00Z' });
      expect(await runs.ownedAmong(userId, [mine.id, theirs.id])).toEqual([mine.id]);
      expect(await runs.assignShoe(userId, [mine.id, theirs.id], shoe.id)).toEqual([mine.id]);
      expect((await runs.byIdOrFail(mine.id)).shoeId).toBe(shoe.id);
      expect((await runs.byIdOrFail(theirs.id)).shoeId).toBeNull();
      await runs.assignShoe(userId, [mine.id], null);
      expect((await runs.byIdOrFail(mine.id)).shoeId).toBeNull();
    });

    it('deletes a run with its records and remembers its Strava activities, so the sync can skip them', async () => {
      const { id: userId } = await addUser(db);
      const { id: otherId } = await addUser(db);
      const run = await addRun(db, userId, {
        start: '2024-05-01T08:00:00Z',
        source: 'strava',
        externalId: '777',
        alsoFrom: [{ source: 'fit', externalId: 'f-777' }],
      });
      await addPainReport(db, run);
      expect(await runs.deleteOwn(otherId, run.id)).toBe(false);
      expect(await runs.deleteOwn(userId, run.id)).toBe(true);
      expect(await runs.byId(run.id)).toBeNull();
      expect(await runs.recordsOf([run.id])).toEqual([]);
      expect(await runs.deletedStravaActivities(userId, ['777', '778'])).toEqual(['777']);
      expect(await runs.deletedStravaActivities(otherId, ['777'])).toEqual([]);
      expect(await runs.stravaActivitiesStoredOrPending(userId, '1', ['777'], 'strava')).toEqual(['777']);
    });
  });
});
