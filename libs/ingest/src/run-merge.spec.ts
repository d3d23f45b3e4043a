import { MappedRun } from '@deload/domain';
import { changesFor, isSameOuting, runFields, supersedes } from './run-merge';

const base: MappedRun = {
  source: 'strava',
  externalId: '1',
  sport: 'run',
  startUtc: new Date('2025-03-02T06:10:00Z'),
  utcOffsetS: 3600,
  distanceM: 10_000,
  name: 'Morning Run',
};

describe('isSameOuting', () => {
  const at = (seconds: number, distanceM: number) => ({ startUtc: new Date(base.startUtc.getTime() + seconds * 1000), distanceM });
  it.each([
    [at(120, 10_000), true],
    [at(-120, 10_300), true],
    [at(121, 10_000), false],
    [at(0, 10_310), false],
    [at(0, 9_700), true],
  ])('%o → %s', (other, same) => {
    expect(isSameOuting(at(0, 10_000), other)).toBe(same);
  });
});

describe('changesFor', () => {
  it('lets the owning source replace measurements, but another source only fill gaps', () => {
    const stored = runFields({ ...base, avgHr: undefined }, null);
    const other = runFields({ ...base, source: 'fit', distanceM: 9_990, avgHr: 150, name: undefined }, null);
    expect(changesFor(stored, other, false)).toEqual({ avgHr: 150 });
    expect(changesFor(stored, other, true)).toEqual({ distanceM: 9_990, avgHr: 150 });
  });

  it('takes the latest annotation from any source and accumulates flags', () => {
    const stored = runFields({ ...base, flags: ['truncated'] }, null);
    const edited = runFields({ ...base, description: 'knee hurt', flags: ['utc_offset_unknown'] }, null);
    expect(changesFor(stored, edited, false)).toEqual({ description: 'knee hurt', flags: ['truncated', 'utc_offset_unknown'] });
  });

  it('lets only the owner set or drop the summary flags: a summary upgraded by its file loses them', () => {
    const summary = runFields({ ...base, flags: ['utc_offset_unknown', 'summary_only'] }, null);
    const recording = runFields({ ...base, flags: [] }, null);
    expect(supersedes(summary, recording)).toBe(true);
    expect(supersedes(recording, summary)).toBe(false);
    expect(changesFor(summary, recording, true).flags).toEqual(['utc_offset_unknown']);
    expect(changesFor(recording, summary, false).flags).toEqual(['utc_offset_unknown']);
  });

  it('finds nothing to change in the same report', () => {
    const fields = runFields({ ...base, splits: [{ index: 1, distanceM: 1000, elapsedS: 300 }] }, null);
    const reordered = { ...fields, splits: [{ elapsedS: 300, index: 1, distanceM: 1000 }] };
    expect(changesFor(fields, reordered, true)).toEqual({});
  });
});
