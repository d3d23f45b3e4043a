import { observationFor, onsetBuckets, readCheckinAnswer } from './checkin-answers';

describe('check-in answers', () => {
  it('splits a 10.2 km run into 2 km stretches, the short tail joining the last one', () => {
    expect(onsetBuckets(10_200, 'km')).toEqual([
      { key: 'b0', label: 'in the first 2 km', onsetM: 1000 },
      { key: 'b1', label: 'between 2 and 4 km', onsetM: 3000 },
      { key: 'b2', label: 'between 4 and 6 km', onsetM: 5000 },
      { key: 'b3', label: 'between 6 and 8 km', onsetM: 7000 },
      { key: 'b4', label: 'between 8 and 10.2 km', onsetM: 9100 },
    ]);
  });

  it('uses the runner units: a 6 mile run in miles', () => {
    expect(onsetBuckets(6 * 1609.344, 'mi').map((bucket) => bucket.label)).toEqual([
      'in the first 1 mi',
      'between 1 and 2 mi',
      'between 2 and 3 mi',
      'between 3 and 4 mi',
      'between 4 and 5 mi',
      'between 5 and 6 mi',
    ]);
    expect(onsetBuckets(6 * 1609.344, 'mi')[2].onsetM).toBe(4023);
  });

  it('keeps a marathon to at most six choices and a treadmill run without distance to none', () => {
    expect(onsetBuckets(42_195, 'km').map((bucket) => bucket.label)).toEqual([
      'in the first 10 km',
      'between 10 and 20 km',
      'between 20 and 30 km',
      'between 30 and 42.2 km',
    ]);
    expect(onsetBuckets(0, 'km')).toEqual([]);
  });

  it('reads the answer of a link, and what a click records', () => {
    const buckets = onsetBuckets(10_000, 'km');
    expect(readCheckinAnswer('none', buckets)).toEqual({ kind: 'none' });
    expect(readCheckinAnswer('b2', buckets)).toEqual({ kind: 'bucket', bucket: buckets[2] });
    expect(readCheckinAnswer('b9', buckets)).toEqual({ kind: 'other' });
    expect(readCheckinAnswer(undefined, buckets)).toEqual({ kind: 'other' });
    expect(observationFor({ kind: 'none' })).toEqual({ hasPain: false });
    expect(observationFor({ kind: 'bucket', bucket: buckets[2] }, 'lateral_knee')).toEqual({
      hasPain: true,
      onsetM: 5000,
      location: 'lateral_knee',
    });
    expect(observationFor({ kind: 'other' })).toBeNull();
  });
});
