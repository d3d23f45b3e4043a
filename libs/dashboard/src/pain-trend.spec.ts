import { latestPain, PainPoint } from './pain-trend';

function report(day: number, overrides: Partial<PainPoint> = {}): PainPoint {
  return {
    runId: `run-${day}`,
    startUtc: new Date(Date.UTC(2025, 2, day, 7)),
    hasPain: true,
    location: 'lateral_knee',
    onsetM: null,
    onsetS: null,
    severity: 3,
    ...overrides,
  };
}

describe('latestPain', () => {
  it('flags pain arriving earlier than the time before at the same place', () => {
    const latest = latestPain([report(1, { onsetM: 8000 }), report(5, { onsetM: 6000 }), report(9, { onsetM: 4500 })]);
    expect(latest).toMatchObject({ report: { runId: 'run-9' }, trend: 'earlier' });
  });

  it('compares by time when the distances are missing, and calls small differences the same', () => {
    expect(latestPain([report(1, { onsetS: 1800 }), report(3, { onsetS: 2400 })])?.trend).toBe('later');
    expect(latestPain([report(1, { onsetS: 1800 }), report(3, { onsetS: 1750 })])?.trend).toBe('same');
  });

  it('only compares reports at the same location, and skips "no pain" reports', () => {
    const reports = [
      report(1, { onsetM: 3000, location: 'hip' }),
      report(2, { onsetM: 9000 }),
      report(4, { hasPain: false, onsetM: null, location: null }),
      report(6, { onsetM: 5000, location: 'hip' }),
    ];
    expect(latestPain(reports)).toMatchObject({ report: { runId: 'run-6' }, trend: 'later' });
  });

  it('has no trend without an earlier comparable report, and nothing without pain', () => {
    expect(latestPain([report(1, { onsetM: 3000 })])?.trend).toBeNull();
    expect(latestPain([report(1, { onsetM: 3000 }), report(2, { onsetS: 600 })])?.trend).toBeNull();
    expect(latestPain([report(1, { hasPain: false })])).toBeNull();
    expect(latestPain([])).toBeNull();
  });
});
