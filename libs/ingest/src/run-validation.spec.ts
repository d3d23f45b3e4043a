import { MappedRun } from '@deload/domain';
import { plausibleRun } from './run-validation';

const run: MappedRun = {
  source: 'import',
  externalId: '1',
  sport: 'run',
  startUtc: new Date('2025-03-02T06:10:00Z'),
  utcOffsetS: 3600,
  distanceM: 10_000,
};

describe('plausibleRun', () => {
  it('reads a descent a rounding error below zero as 0 and drops an impossible optional figure, keeping the run', () => {
    expect(plausibleRun({ ...run, elevationLossM: -0.3, avgHr: 0, movingS: -5 })).toEqual({
      run: { ...run, elevationLossM: 0 },
      warnings: [
        'elevation loss -0.3 m is below zero: read as 0 m',
        'average heart rate 0 is out of range: left out',
        'moving time -5 is out of range: left out',
      ],
    });
  });

  it('refuses a run whose distance or start cannot be real', () => {
    expect(() => plausibleRun({ ...run, distanceM: -1 })).toThrow(/implausible figures in the file \(distance -1\)/);
    expect(() => plausibleRun({ ...run, startUtc: new Date('1970-01-01T00:00:00Z') })).toThrow(/start 1970/);
  });
});
