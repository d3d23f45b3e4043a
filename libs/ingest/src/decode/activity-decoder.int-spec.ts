import { readFileSync } from 'node:fs';
import { gpxTrack } from '../../../../test/support/archives';
import { fixturePath } from '../../../../test/support/shared-fixtures';
import { ActivityDecoder } from './activity-decoder';
import { decodeFile } from './decode-file';

// Worker threads run the compiled decoder in dist/ (jest's global setup builds it).
jest.setTimeout(60_000);

describe('ActivityDecoder: decoding in worker threads under a budget', () => {
  const largeFit = readFileSync(fixturePath('fit', 'activity-large-fenxi2-multisport.fit'));
  const gpx = Buffer.from(gpxTrack(new Date('2025-03-04T12:00:00Z'), 30));
  const decoders: ActivityDecoder[] = [];
  const decoder = (budget: ConstructorParameters<typeof ActivityDecoder>[0] = {}) => {
    const made = new ActivityDecoder(budget);
    decoders.push(made);
    return made;
  };

  afterAll(() => Promise.all(decoders.map((made) => made.onApplicationShutdown())));

  it('gives the same runs as decoding in process (dates and all)', async () => {
    const inProcess = decodeFile({ kind: 'activity-file', bytes: largeFit, maxBytes: 64 * 1024 * 1024 });
    const inThread = await decoder().activityFile(largeFit, 64 * 1024 * 1024);
    expect(inProcess.ok).toBe(true);
    expect(inThread).toEqual(inProcess.ok ? inProcess.value : undefined);
    expect(inThread[0].startUtc).toBeInstanceOf(Date);
  });

  it('stops a decode past its time and refuses the file with the reason', async () => {
    await expect(decoder({ timeoutMs: 1 }).activityFile(largeFit, 64 * 1024 * 1024)).rejects.toMatchObject({
      kind: 'invalid',
      message: 'refused: reading the file took longer than 1 ms, so it was stopped',
    });
  });

  it('refuses a file whose decoding needs more memory than a thread may use, and goes on with the next', async () => {
    // 24 MB: the large FIT needs ~30 MB; at 16 MB a fresh thread barely starts and sometimes dies
    // loading the decoder itself, before it can take the next file (seen as a flaky timeout).
    const small = decoder({ maxMemoryMb: 24, threads: 1 });
    await expect(small.activityFile(largeFit, 64 * 1024 * 1024)).rejects.toMatchObject({
      kind: 'too_large',
      message: 'refused: reading the file needed more than 24 MB of memory',
    });
    await expect(small.activityFile(gpx, 1024 * 1024)).resolves.toHaveLength(1);
  });

  it('makes files wait for a free thread rather than start their clock early', async () => {
    const one = decoder({ threads: 1, timeoutMs: 20_000 });
    const results = await Promise.all([gpx, largeFit, gpx, largeFit].map((bytes) => one.activityFile(bytes, 64 * 1024 * 1024)));
    expect(results.map((runs) => runs.length)).toEqual([1, 7, 1, 7]);
  });

  it('answers a refused file with the decoder’s own reason, and a CSV through the same pool', async () => {
    await expect(decoder().activityFile(Buffer.from('hello'), 1024)).rejects.toMatchObject({
      kind: 'invalid',
      message: expect.stringMatching(/not a FIT file/),
    });
    await expect(decoder().activitiesCsv(Buffer.from('Activity ID\n1\n'))).rejects.toThrow(/activities.csv is missing the columns/);
  });
});
