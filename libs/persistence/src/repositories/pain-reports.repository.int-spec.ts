import { DataSource } from 'typeorm';
import { addPainReport, addRun, addUser, openTestDatabase } from '../../test/fixtures';
import { PainReportFields, PainReportsRepository } from './pain-reports.repository';

describe('PainReportsRepository against PostgreSQL', () => {
  let db: DataSource;
  let reports: PainReportsRepository;

  beforeAll(async () => {
    db = await openTestDatabase();
    reports = new PainReportsRepository(db);
  });
  afterAll(() => db?.destroy());

  const fields = (userId: string, runId: string, change: Partial<PainReportFields> = {}): PainReportFields => ({
    userId,
    runId,
    hasPain: true,
    location: 'knee',
    side: null,
    onsetM: 4000,
    onsetS: null,
    severity: null,
    source: 'strava_tag',
    note: 'knee from 4k',
    ...change,
  });

  it('keeps one report per run: a tag writes over a tag when it differs, never over the runner’s own report', async () => {
    const { id: userId } = await addUser(db);
    const run = await addRun(db, userId, { start: '2024-05-01T08:00:00Z' });
    const tagged = await reports.upsert(fields(userId, run.id), true);
    expect(tagged).toMatchObject({ runId: run.id, location: 'knee', onsetM: 4000, source: 'strava_tag' });
    expect(await reports.upsert(fields(userId, run.id), true)).toBeNull();
    expect(await reports.upsert(fields(userId, run.id, { onsetM: 5000 }), true)).toMatchObject({ onsetM: 5000 });
    const own = await db.transaction((tx) =>
      reports.upsert(fields(userId, run.id, { location: 'hip', source: 'web', note: null }), false, tx),
    );
    expect(own).toMatchObject({ id: tagged!.id, location: 'hip', source: 'web' });
    expect(await reports.upsert(fields(userId, run.id, { location: 'shin' }), true)).toBeNull();
    expect(await reports.deleteTagReport(run.id)).toBe(false);
    expect(await reports.forRun(userId, run.id)).toMatchObject({ location: 'hip' });
  });

  it('removes tag reports, one run’s or all the runner’s', async () => {
    const { id: userId } = await addUser(db);
    const one = await addRun(db, userId, { start: '2024-05-01T08:00:00Z' });
    const two = await addRun(db, userId, { start: '2024-05-02T08:00:00Z' });
    const three = await addRun(db, userId, { start: '2024-05-03T08:00:00Z' });
    await addPainReport(db, one, { source: 'strava_tag' });
    await addPainReport(db, two, { source: 'strava_tag' });
    await addPainReport(db, three, { source: 'web' });
    expect(await reports.deleteTagReport(one.id)).toBe(true);
    expect(await reports.forRun(userId, one.id)).toBeNull();
    expect(await reports.deleteStravaTags(userId)).toBe(1);
    expect(await reports.onRuns(userId, [one.id, two.id, three.id])).toEqual([expect.objectContaining({ runId: three.id })]);
    expect(await reports.onRuns(userId, [])).toEqual([]);
  });

  it('knows whether the runner ever reported pain, and where last', async () => {
    const { id: userId } = await addUser(db);
    expect(await reports.hasEverReportedPain(userId)).toBe(false);
    const first = await addRun(db, userId, { start: '2024-05-01T08:00:00Z' });
    const second = await addRun(db, userId, { start: '2024-05-02T08:00:00Z' });
    await addPainReport(db, first, { hasPain: false, location: null });
    expect(await reports.hasEverReportedPain(userId)).toBe(false);
    await addPainReport(db, second, { location: 'achilles' });
    expect(await reports.hasEverReportedPain(userId)).toBe(true);
    expect((await reports.latestPainful(userId))?.location).toBe('achilles');
  });

  it('reads a week’s reports by the local day of their runs, and counts the painful ones a viewer may see', async () => {
    const { id: userId } = await addUser(db);
    // Sunday 23:30 UTC is Monday where it was run.
    const monday = await addRun(db, userId, { start: '2024-05-05T23:30:00Z', utcOffsetS: 7200 });
    const wednesday = await addRun(db, userId, { start: '2024-05-08T08:00:00Z' });
    const before = await addRun(db, userId, { start: '2024-05-04T08:00:00Z' });
    await addPainReport(db, monday, { location: 'calf', onsetM: 3000 });
    await addPainReport(db, wednesday, { source: 'strava_tag' });
    await addPainReport(db, before);
    const lines = await reports.linesOfWeek(userId, '2024-05-06', '2024-05-12');
    expect(lines.map(({ hasPain, location, onsetM, onsetS }) => ({ hasPain, location, onsetM, onsetS }))).toEqual([
      { hasPain: true, location: 'calf', onsetM: 3000, onsetS: null },
      { hasPain: true, location: 'knee', onsetM: null, onsetS: null },
    ]);
    expect(await reports.painfulRunsInWeek(userId, '2024-05-06', '2024-05-12', true)).toBe(2);
    expect(await reports.painfulRunsInWeek(userId, '2024-05-06', '2024-05-12', false)).toBe(1);
  });

  it('shows a report on a run only Strava has, but not one read from Strava, where Strava data may not be shown', async () => {
    const { id: userId } = await addUser(db);
    const stravaRun = await addRun(db, userId, { start: '2024-05-01T08:00:00Z', source: 'strava' });
    const fileRun = await addRun(db, userId, { start: '2024-05-02T08:00:00Z' });
    await addPainReport(db, stravaRun, { source: 'web', note: 'sore' });
    await addPainReport(db, fileRun, { source: 'strava_tag' });
    const since = new Date('2024-04-01T00:00:00Z');
    const all = await reports.visibleSince([userId], [userId], since);
    expect(all.map((report) => [report.runId, report.stravaOnlyRun])).toEqual([
      [stravaRun.id, true],
      [fileRun.id, false],
    ]);
    const limited = await reports.visibleSince([userId], [], since);
    expect(limited).toEqual([expect.objectContaining({ runId: stravaRun.id, note: 'sore', source: 'web', stravaOnlyRun: true })]);
    expect(limited[0].reportedAt).toBeInstanceOf(Date);
  });

  it('moves reports to a twin run unless it has one, and to another runner', async () => {
    const source = await addUser(db);
    const target = await addUser(db);
    const from = await addRun(db, source.id, { start: '2024-05-01T08:00:00Z' });
    const to = await addRun(db, target.id, { start: '2024-05-01T08:00:00Z' });
    const taken = await addRun(db, target.id, { start: '2024-05-03T08:00:00Z' });
    await addPainReport(db, taken);
    const other = await addRun(db, source.id, { start: '2024-05-03T08:00:00Z' });
    await addPainReport(db, from);
    await addPainReport(db, other);
    await reports.moveToRun(other.id, taken.id, target.id);
    expect(await reports.forRun(source.id, other.id)).not.toBeNull();
    await reports.moveToRun(from.id, to.id, target.id);
    expect(await reports.forRun(target.id, to.id)).not.toBeNull();
    await reports.moveToUser(source.id, target.id);
    expect(await reports.forRun(target.id, other.id)).not.toBeNull();
  });
});
