import { DataSource } from 'typeorm';
import { addRun, addShoe, addUser, openTestDatabase } from '../../test/fixtures';
import { ShoesRepository } from './shoes.repository';

describe('ShoesRepository against PostgreSQL', () => {
  let db: DataSource;
  let shoes: ShoesRepository;

  beforeAll(async () => {
    db = await openTestDatabase();
    shoes = new ShoesRepository(db);
  });
  afterAll(() => db?.destroy());

  it('finds or stores a shoe by its source and id, once', async () => {
    const { id: userId } = await addUser(db);
    const shoe = { userId, source: 'import' as const, externalId: 'Pegasus' };
    const id = await db.transaction((tx) => shoes.ensure(shoe, 'Pegasus 40', tx));
    expect(await shoes.ensure(shoe, 'Another name')).toBe(id);
    expect(await shoes.byIdOrFail(id)).toMatchObject({ name: 'Pegasus 40', source: 'import' });
  });

  it('gives a shoe its distance as of a day: the reported figure corrected by runs, or the runs as a lower bound', async () => {
    const { id: userId } = await addUser(db);
    const reported = await addShoe(db, userId, {
      name: 'Reported',
      reportedDistanceM: 500_000,
      reportedAt: new Date('2024-05-10T12:00:00Z'),
    });
    const unknown = await addShoe(db, userId, { name: 'Unknown', source: 'strava', externalId: 'g9' });
    await addRun(db, userId, { start: '2024-05-09T08:00:00Z', km: 10, shoeId: reported.id });
    await addRun(db, userId, { start: '2024-05-11T08:00:00Z', km: 12, shoeId: reported.id });
    await addRun(db, userId, { start: '2024-05-12T08:00:00Z', km: 5, shoeId: reported.id, isRun: false });
    await addRun(db, userId, { start: '2024-05-20T08:00:00Z', km: 8, shoeId: reported.id });
    await addRun(db, userId, { start: '2024-05-01T08:00:00Z', km: 6, shoeId: unknown.id });
    const asOf = await shoes.withDistanceAsOf(userId, [reported.id, unknown.id], new Date('2024-05-15T23:00:00Z'));
    const byName = Object.fromEntries(asOf.map((shoe) => [shoe.name, shoe]));
    expect(byName.Reported).toMatchObject({ distanceM: 517_000, distanceIsLowerBound: false, source: 'manual' });
    expect(byName.Unknown).toMatchObject({ distanceM: 6000, distanceIsLowerBound: true, source: 'strava' });
    const earlier = await shoes.withDistanceAsOf(userId, [reported.id], new Date('2024-05-09T23:00:00Z'));
    expect(earlier[0].distanceM).toBe(500_000);
    expect(await shoes.withDistanceAsOf(userId, [], new Date())).toEqual([]);
  });

  it('shows a coach only shoes other than Strava gear, with the distance of the runs they may see', async () => {
    const { id: userId } = await addUser(db);
    const own = await addShoe(db, userId, { name: 'B own' });
    await addShoe(db, userId, { name: 'A strava', source: 'strava', externalId: 'g1' });
    await addShoe(db, userId, { name: 'C retired', retired: true });
    await addRun(db, userId, { start: '2024-05-01T08:00:00Z', km: 10, shoeId: own.id, source: 'strava' });
    await addRun(db, userId, { start: '2024-05-02T08:00:00Z', km: 7, shoeId: own.id });
    const all = await shoes.visibleWithDistance([userId], [userId]);
    expect(all.map((shoe) => [shoe.name, shoe.distanceM])).toEqual([
      ['A strava', 0],
      ['B own', 17_000],
      ['C retired', 0],
    ]);
    const limited = await shoes.visibleWithDistance([userId], []);
    expect(limited.map((shoe) => [shoe.name, shoe.distanceM, shoe.userId])).toEqual([
      ['B own', 7000, userId],
      ['C retired', 0, userId],
    ]);
  });

  it('lists, changes and checks the runner’s own shoes', async () => {
    const { id: userId } = await addUser(db);
    const other = await addUser(db);
    const shoe = await addShoe(db, userId, { name: 'Zoom' });
    await addShoe(db, userId, { name: 'Alpha', retired: true });
    await addShoe(db, userId, { name: 'Beta' });
    expect((await shoes.ofUser(userId)).map((s) => s.name)).toEqual(['Beta', 'Zoom', 'Alpha']);
    expect(await shoes.ownedBy(other.id, shoe.id)).toBeNull();
    await shoes.update(shoe.id, other.id, { retired: true });
    expect((await shoes.ownedBy(userId, shoe.id))?.retired).toBe(false);
    await shoes.update(shoe.id, userId, { retired: true, retireThresholdM: 600_000 });
    expect(await shoes.byIdOrFail(shoe.id)).toMatchObject({ retired: true, retireThresholdM: 600_000 });
  });

  it('stores Strava gear, keeping what Strava does not say', async () => {
    const { id: userId } = await addUser(db);
    await shoes.upsertStrava(userId, { externalId: 'g1', name: 'Daily', reportedDistanceM: 300_000, retireThresholdM: 700_000 });
    expect(await shoes.hasStravaDetails(userId, 'g1')).toBe(true);
    await shoes.upsertStrava(userId, { externalId: 'g1', name: 'Daily pair', retired: true });
    const [stored] = await shoes.ofUser(userId);
    expect(stored).toMatchObject({ name: 'Daily pair', reportedDistanceM: 300_000, retireThresholdM: 700_000, retired: true });
    await shoes.upsertStrava(userId, { externalId: 'g2', name: 'Race' });
    expect(await shoes.hasStravaDetails(userId, 'g2')).toBe(false);
    expect(await shoes.activeStravaIds(userId)).toEqual(['g2']);
    expect(await shoes.deleteStrava(userId)).toBe(2);
  });

  it('moves shoes to another runner; a shoe both have stays the target’s', async () => {
    const source = await addUser(db);
    const target = await addUser(db);
    await addShoe(db, source.id, { source: 'strava', externalId: 'g1', name: 'Source copy' });
    await addShoe(db, source.id, { source: 'strava', externalId: 'g2', name: 'Only source' });
    await addShoe(db, target.id, { source: 'strava', externalId: 'g1', name: 'Target copy' });
    await shoes.moveToUser(source.id, target.id);
    expect(await shoes.ofUser(source.id)).toEqual([]);
    expect((await shoes.ofUser(target.id)).map((shoe) => shoe.name)).toEqual(['Only source', 'Target copy']);
  });
  it('adds a shoe by hand, counted from its starting distance, and not a lower bound', async () => {
    const { id: userId } = await addUser(db);
    const shoe = await shoes.createManual(userId, {
      name: 'Daily',
      brand: 'Asics',
      model: 'Novablast 4',
      startingDistanceM: 150_000,
      retireThresholdM: null,
    });
    expect(shoe).toMatchObject({ source: 'manual', brand: 'Asics', startingDistanceM: 150_000, defaultForSports: [], locallyEdited: [] });
    await addRun(db, userId, { start: '2024-05-01T08:00:00Z', km: 10, shoeId: shoe.id });
    const [asOf] = await shoes.withDistanceAsOf(userId, [shoe.id], new Date('2024-05-02T00:00:00Z'));
    expect(asOf).toMatchObject({ distanceM: 160_000, distanceIsLowerBound: false });
    const [visible] = await shoes.visibleWithDistance([userId], [userId]);
    expect(visible).toMatchObject({ distanceM: 160_000, brand: 'Asics', model: 'Novablast 4', startingDistanceM: 150_000 });
  });

  it('keeps one default shoe per sport, and finds it only while the shoe is in use', async () => {
    const { id: userId } = await addUser(db);
    const other = await addUser(db);
    const road = await addShoe(db, userId, { name: 'Road' });
    const trail = await addShoe(db, userId, { name: 'Trail' });
    const theirs = await addShoe(db, other.id, { name: 'Theirs' });
    await shoes.setDefaultFor(other.id, theirs.id, ['run']);
    await shoes.setDefaultFor(userId, road.id, ['run', 'trail_run']);
    await shoes.setDefaultFor(userId, trail.id, ['trail_run']);
    expect(await shoes.defaultFor(userId, 'run')).toBe(road.id);
    expect(await shoes.defaultFor(userId, 'trail_run')).toBe(trail.id);
    expect(await shoes.defaultFor(userId, 'walk')).toBeNull();
    expect((await shoes.byIdOrFail(road.id)).defaultForSports).toEqual(['run']);
    expect(await shoes.defaultFor(other.id, 'run')).toBe(theirs.id);
    await shoes.update(trail.id, userId, { retired: true });
    expect(await shoes.defaultFor(userId, 'trail_run')).toBeNull();
  });

  it('counts each shoe’s runs since a day, only runs and only what the viewer may see', async () => {
    const { id: userId } = await addUser(db);
    const daily = await addShoe(db, userId, { name: 'Daily' });
    const race = await addShoe(db, userId, { name: 'Race' });
    await addRun(db, userId, { start: '2024-04-01T08:00:00Z', km: 30, shoeId: daily.id });
    await addRun(db, userId, { start: '2024-05-01T08:00:00Z', km: 10, shoeId: daily.id });
    await addRun(db, userId, { start: '2024-05-02T08:00:00Z', km: 12, shoeId: daily.id, source: 'strava' });
    await addRun(db, userId, { start: '2024-05-03T08:00:00Z', km: 5, shoeId: daily.id, isRun: false });
    await addRun(db, userId, { start: '2024-05-04T08:00:00Z', km: 21, shoeId: race.id });
    const byShoe = (uses: { shoeId: string; runs: number; distanceM: number }[]) =>
      Object.fromEntries(uses.map((use) => [use.shoeId === daily.id ? 'daily' : 'race', [use.runs, use.distanceM]]));
    expect(byShoe(await shoes.recentUse(userId, new Date('2024-04-15T00:00:00Z'), true))).toEqual({
      daily: [2, 22_000],
      race: [1, 21_000],
    });
    expect(byShoe(await shoes.recentUse(userId, new Date('2024-04-15T00:00:00Z'), false))).toEqual({
      daily: [1, 10_000],
      race: [1, 21_000],
    });
  });

  it('keeps what the runner changed on a Strava shoe when Strava syncs again', async () => {
    const { id: userId } = await addUser(db);
    await shoes.upsertStrava(userId, {
      externalId: 'g7',
      name: 'Pegasus 40',
      brand: 'Nike',
      model: 'Pegasus 40',
      reportedDistanceM: 100_000,
      retireThresholdM: 700_000,
    });
    const [stored] = await shoes.ofUser(userId);
    await shoes.update(stored.id, userId, { name: 'Blue pair', retired: true, locallyEdited: ['name', 'retired'] });
    await shoes.upsertStrava(userId, {
      externalId: 'g7',
      name: 'Pegasus 40 (Strava)',
      model: 'Pegasus 41',
      reportedDistanceM: 150_000,
      retired: false,
      retireThresholdM: 650_000,
    });
    expect(await shoes.byIdOrFail(stored.id)).toMatchObject({
      name: 'Blue pair',
      retired: true,
      brand: 'Nike',
      model: 'Pegasus 41',
      reportedDistanceM: 150_000,
      retireThresholdM: 650_000,
    });
  });
});
