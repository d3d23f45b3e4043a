import { detailedGearJson, summaryGearJson } from '../../../../test/fake-strava/fake-data';
import { detailedGearSchema, summaryGearSchema } from '../api/strava-schemas';
import { isShoeId, mapDetailedGear, mapSummaryGear, notificationDistanceMetres } from './gear-mapper';

const pegasus = { id: 'g987', name: 'Pegasus 40', nickname: 'Blue', distance: 612_000, notification_distance: 800 };

describe('gear mapping', () => {
  it('maps a shoe from the athlete list: nickname first, distance in metres', () => {
    expect(mapSummaryGear(summaryGearSchema.parse(summaryGearJson(pegasus, 'meters')))).toEqual({
      externalId: 'g987',
      name: 'Blue',
      reportedDistanceM: 612_000,
      retired: false,
    });
  });

  it('takes the retire threshold from the detailed gear’s notification distance', () => {
    const gear = detailedGearSchema.parse(detailedGearJson({ ...pegasus, nickname: null, retired: true }, 'meters'));
    expect(mapDetailedGear(gear, 'meters')).toEqual({
      externalId: 'g987',
      name: 'Pegasus 40',
      reportedDistanceM: 612_000,
      retired: true,
      retireThresholdM: 800_000,
      brand: 'Pegasus',
      model: '40',
    });
  });

  it('reads small notification distances in the athlete’s unit, large ones as metres, 0 as unset', () => {
    expect(notificationDistanceMetres(500, 'feet')).toBeCloseTo(804_672);
    expect(notificationDistanceMetres(650_000, 'meters')).toBe(650_000);
    expect(notificationDistanceMetres(0)).toBeNull();
    expect(notificationDistanceMetres(undefined)).toBeNull();
  });

  it('tells shoes from bikes', () => {
    expect(isShoeId('g123')).toBe(true);
    expect(isShoeId('b123')).toBe(false);
    expect(isShoeId(null)).toBe(false);
  });
});
