import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePolarTrainingSession, polarSessionFiles } from './polar-flow';

const RUN = 'training-session-2024-05-02-7012345678-6f1c.json';
const MULTISPORT = 'training-session-2024-06-09-7012349999-a1b2.json';
const TREADMILL = 'training-session-2024-05-06-7012340000-c3d4.json';
const read = (name: string) => parsePolarTrainingSession(readFileSync(join(__dirname, 'fixtures', name)), name);

describe('polarSessionFiles', () => {
  it('picks the training sessions out of an account export', () => {
    const entries = [
      'polar-user-data-export/account-data-1.json',
      `polar-user-data-export/${RUN}`,
      'polar-user-data-export/activity-2024-05-02.json',
    ];
    expect(polarSessionFiles(entries)).toEqual([`polar-user-data-export/${RUN}`]);
    expect(polarSessionFiles(entries.filter((name) => !name.includes('training')))).toBeUndefined();
  });
});

describe('parsePolarTrainingSession', () => {
  it('reads a run: local start and offset, ISO duration, distance, climb, heart rate, cadence per leg doubled', () => {
    expect(read(RUN).entries).toEqual([
      {
        status: 'parsed',
        ref: `${RUN} (RUNNING)`,
        warnings: [],
        run: {
          source: 'import',
          externalId: 'polar-2024-05-02-7012345678-6f1c',
          sport: 'run',
          sourceSport: 'RUNNING',
          startUtc: new Date('2024-05-02T05:10:12Z'),
          utcOffsetS: 7200,
          distanceM: 10_020,
          movingS: 3010,
          elapsedS: 3010,
          elevationGainM: 45,
          elevationLossM: 47,
          avgHr: 148,
          avgCadenceSpm: 172,
          flags: ['summary_only'],
        },
      },
    ]);
  });

  it('gives a multisport session one entry per sport; cadence already in steps stays; -0.3 m descent read as 0', () => {
    const { entries } = read(MULTISPORT);
    expect(entries.map((entry) => entry.ref)).toEqual([`${MULTISPORT} exercise 1 (ROAD_BIKING)`, `${MULTISPORT} exercise 2 (RUNNING)`]);
    const [ride, run] = entries.map((entry) => (entry.status === 'parsed' ? entry.run : undefined));
    expect(ride).toMatchObject({ sport: 'ride', distanceM: 35_000, movingS: 5100, externalId: 'polar-2024-06-09-7012349999-a1b2-1' });
    expect(ride?.avgCadenceSpm).toBeUndefined();
    expect(run).toMatchObject({
      sport: 'run',
      distanceM: 10_000,
      movingS: 2580.5,
      avgCadenceSpm: 174,
      elevationLossM: 0,
      name: 'Triathlon',
    });
    expect(entries[1]).toMatchObject({ warnings: ['elevation loss -0.3 m is below zero: read as 0 m'] });
  });

  it('rejects a running session without distance, naming the file', () => {
    expect(read(TREADMILL).entries).toEqual([
      { status: 'rejected', ref: `${TREADMILL} (TREADMILL_RUNNING)`, reason: 'the session has no distance' },
    ]);
  });

  it('refuses a cut-off file and JSON that is not a session', () => {
    const whole = readFileSync(join(__dirname, 'fixtures', RUN));
    expect(() => parsePolarTrainingSession(whole.subarray(0, 200), RUN)).toThrow(`${RUN} is not valid JSON`);
    expect(() => parsePolarTrainingSession('{"username": "ana"}', 'account-data.json')).toThrow(
      'account-data.json is not a Polar Flow training session (no exercises, no start time)',
    );
  });
});
