import type { DataSource, EntityManager } from 'typeorm';
import type { DomainEvents } from '@deload/events';
import { ShoeEntity, ShoesRepository } from '@deload/persistence';
import { stubRepository } from '../../../test/support/stub-repository';
import { ShoesService } from './shoes.service';

const RUNNER_ID = '22222222-2222-4222-8222-222222222222';
const SHOE_ID = '33333333-3333-4333-8333-333333333333';

function shoe(fields: Partial<ShoeEntity> = {}): ShoeEntity {
  return {
    id: SHOE_ID,
    userId: RUNNER_ID,
    source: 'manual',
    externalId: 'x',
    name: 'Daily',
    brand: null,
    model: null,
    startingDistanceM: 0,
    defaultForSports: [],
    locallyEdited: [],
    reportedDistanceM: null,
    reportedAt: null,
    retireThresholdM: null,
    retired: false,
    createdAt: new Date(0),
    updatedAt: new Date(0),
    ...fields,
  };
}

/** ShoesService's decisions with the shoes table stubbed (the real one: shoes.repository.int-spec.ts, test/e2e/shoes.e2e-spec.ts). */
describe('ShoesService (repositories stubbed)', () => {
  let shoes: jest.Mocked<ShoesRepository>;
  let record: jest.Mock;
  let service: ShoesService;
  const manager = {} as EntityManager;

  beforeEach(() => {
    shoes = stubRepository(ShoesRepository);
    record = jest.fn();
    const dataSource = { transaction: (work: (tx: EntityManager) => unknown) => work(manager) } as unknown as DataSource;
    service = new ShoesService(shoes, dataSource, { record } as unknown as DomainEvents);
  });

  const stored = (fields: Partial<ShoeEntity>) => {
    shoes.ownedBy.mockResolvedValue(shoe(fields));
    shoes.byIdOrFail.mockResolvedValue(shoe(fields));
  };

  it('remembers which fields the runner changed, so a Strava sync keeps them', async () => {
    stored({ source: 'strava', locallyEdited: ['retired'] });
    await service.update(RUNNER_ID, SHOE_ID, { name: 'Blue pair', retireThresholdM: 600_000, retired: false });
    expect(shoes.update).toHaveBeenCalledWith(
      SHOE_ID,
      RUNNER_ID,
      { name: 'Blue pair', retireThresholdM: 600_000, locallyEdited: ['retired', 'name', 'retireThresholdM'] },
      manager,
    );
    expect(record).toHaveBeenCalledWith(manager, { type: 'shoes-changed', userId: RUNNER_ID });
  });

  it('refuses a starting distance for Strava gear: Strava reports its distance', async () => {
    stored({ source: 'strava' });
    await expect(service.update(RUNNER_ID, SHOE_ID, { startingDistanceM: 50_000 })).rejects.toMatchObject({ kind: 'invalid' });
    expect(shoes.update).not.toHaveBeenCalled();
  });

  it('ends a pair’s defaults when it is retired, and will not make a retired pair a default', async () => {
    stored({ defaultForSports: ['run', 'trail_run'] });
    await service.update(RUNNER_ID, SHOE_ID, { retired: true });
    expect(shoes.setDefaultFor).toHaveBeenCalledWith(RUNNER_ID, SHOE_ID, [], manager);

    stored({ retired: true });
    await expect(service.update(RUNNER_ID, SHOE_ID, { defaultFor: ['run'] })).rejects.toMatchObject({ kind: 'invalid' });
  });

  it('changes nothing and declares nothing when nothing changes', async () => {
    stored({ name: 'Daily', defaultForSports: ['run'] });
    await service.update(RUNNER_ID, SHOE_ID, { name: 'Daily', defaultFor: ['run'] });
    expect(shoes.update).not.toHaveBeenCalled();
    expect(shoes.setDefaultFor).not.toHaveBeenCalled();
    expect(record).not.toHaveBeenCalled();
  });

  it('refuses another runner’s shoe and a malformed id alike', async () => {
    shoes.ownedBy.mockResolvedValue(null);
    for (const id of [SHOE_ID, 'not-a-uuid'])
      await expect(service.update(RUNNER_ID, id, { name: 'Mine now' })).rejects.toMatchObject({ kind: 'forbidden' });
  });
});
