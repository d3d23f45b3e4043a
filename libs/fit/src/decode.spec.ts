import { randomBytes } from 'node:crypto';
import { buildFitRun } from '../../../test/support/fit-files';
import { Encoder, Profile } from '@garmin/fitsdk';
import { decodeWithFitFileParser } from './decoders';
import { FitFileError, mapFitFile } from './index';

function problemOf(bytes: Uint8Array, options = {}): { problem: string; message: string } {
  try {
    mapFitFile(bytes, options);
  } catch (error) {
    if (error instanceof FitFileError) return { problem: error.problem, message: error.message };
    throw error;
  }
  throw new Error('expected the file to be refused');
}

const PNG_HEADER = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]);
const start = new Date('2025-03-02T06:10:00Z');

describe('mapFitFile on synthetic files', () => {
  const good = buildFitRun({ start, distanceM: 10_230, durationS: 3_120, utcOffsetS: 3600, cadence: 84 });

  it('maps a well-formed run', () => {
    const [{ run, records }] = mapFitFile(good);
    expect(run).toMatchObject({
      source: 'fit',
      sport: 'run',
      distanceM: 10_230,
      movingS: 3_120,
      utcOffsetS: 3600,
      avgCadenceSpm: 168,
      avgHr: 150,
    });
    expect(run.startUtc.toISOString()).toBe('2025-03-02T06:10:00.000Z');
    expect(run.splits).toHaveLength(11);
    expect(records).toBe(3_121);
  });

  it.each([
    ['an empty file', new Uint8Array(0), 'empty', /^empty file/],
    ['random bytes', randomBytes(4096), 'not_fit', /^not a FIT file/],
    ['a PNG renamed .fit', PNG_HEADER, 'not_fit', /^not a FIT file \(it looks like a PNG image\)$/],
    ['ten bytes', randomBytes(10), 'not_fit', /^not a FIT file \(only 10 bytes\)$/],
  ])('refuses %s', (_what, bytes, problem, message) => {
    const refused = problemOf(bytes);
    expect(refused.problem).toBe(problem);
    expect(refused.message).toMatch(message);
  });

  it('refuses a file cut off before any activity data', () => {
    expect(problemOf(good.subarray(0, 40))).toEqual({
      problem: 'truncated',
      message: expect.stringMatching(/^truncated: the file stops at byte 40/),
    });
  });

  it('keeps what comes before a cut in the middle, flagged truncated', () => {
    const [{ run }] = mapFitFile(good.subarray(0, Math.floor(good.length / 2)));
    expect(run.flags).toContain('truncated');
    expect(run.startUtc.toISOString()).toBe(start.toISOString());
    expect(run.distanceM).toBeGreaterThan(4_000);
    expect(run.distanceM).toBeLessThan(6_000);
  });

  it('refuses a file whose CRC does not match its data', () => {
    const damaged = Uint8Array.from(good);
    damaged[damaged.length - 1] ^= 0xff;
    expect(problemOf(damaged).problem).toBe('bad_crc');
    const flipped = Uint8Array.from(good);
    flipped[200] ^= 0x01;
    expect(problemOf(flipped).problem).toBe('bad_crc');
  });

  it('refuses a file larger than the limit before decoding it', () => {
    expect(problemOf(good, { maxBytes: 1000 })).toEqual({ problem: 'too_large', message: expect.stringMatching(/^too large: /) });
  });

  it('refuses a FIT file with no activity in it', () => {
    const settings = new Encoder()
      .writeMesg({ mesgNum: Profile.MesgNum.FILE_ID, type: 'settings', manufacturer: 'garmin', timeCreated: start } as never)
      .close();
    expect(problemOf(settings)).toEqual({ problem: 'no_activity', message: 'no activity in file: it is a "settings" file' });
  });

  it('never lets developer fields named like native ones replace the native values', () => {
    const shadowed = buildFitRun({ start, distanceM: 5_000, durationS: 1_500, heartRate: 140, shadowingDeveloperFields: true });
    // The plain decoder lets the developer fields win: this is the case being guarded against.
    const plain = decodeWithFitFileParser(shadowed, 0);
    expect(plain.records[0].heart_rate).toBe(9999);
    const [{ run }] = mapFitFile(shadowed);
    expect(run.distanceM).toBe(5_000);
    expect(run.avgHr).toBe(140);
    expect(run.splits!.every((split) => split.avgHr === 140)).toBe(true);
  });
});
