import { describeRun } from './run-label';

describe('describeRun', () => {
  // Tuesday 2026-11-17 07:10 in Paris (UTC+1).
  const run = (distanceM: number) => ({ distanceM, startUtc: new Date('2026-11-17T06:10:00Z'), utcOffsetS: 3600 });

  it('names the distance, weekday and part of day in the run’s local time', () => {
    expect(describeRun(run(10_240), 'km')).toBe('10 km run on Tuesday morning');
    expect(describeRun(run(8_420), 'km')).toBe('8.4 km run on Tuesday morning');
  });

  it('rounds at ten of the runner’s own unit', () => {
    expect(describeRun(run(15_930), 'mi')).toBe('9.9 mi run on Tuesday morning');
    expect(describeRun(run(17_000), 'mi')).toBe('11 mi run on Tuesday morning');
  });

  it('uses the local evening, not the UTC one', () => {
    const late = { distanceM: 5000, startUtc: new Date('2026-11-17T23:30:00Z'), utcOffsetS: -8 * 3600 };
    expect(describeRun(late, 'km')).toBe('5 km run on Tuesday afternoon');
  });

  it('leaves out a distance the device did not record', () => {
    expect(describeRun(run(0), 'km')).toBe('run on Tuesday morning');
  });
});
