import { parseReplayLine, parseReplayLineWithSchema, RunLine } from './replay-lines';

const run = (elevationLoss: unknown) =>
  JSON.stringify({ type: 'run', id: 'r1', start: '2025-03-02T07:10:00+01:00', distance_m: 5000, elevation_loss_m: elevationLoss });

describe('parseReplayLine: elevation_loss_m', () => {
  it.each([
    [-0.3, 0],
    [-0.99, 0],
    [0, 0],
    [80, 80],
  ])('reads %p m as %p m (an export’s rounding noise below zero is a flat run)', (given, read) => {
    const parsed = parseReplayLine(run(given));
    expect(parsed).toEqual({ ok: true, line: expect.objectContaining({ elevation_loss_m: read }) });
    expect((parsed as { line: RunLine }).line.elevation_loss_m).toBe(read);
  });

  it.each([-1, -40])('still reports a loss of %p m as a bad line, with the same message', (given) => {
    expect(parseReplayLine(run(given))).toEqual({ ok: false, error: 'run: elevation_loss_m must be a number of metres ≥ 0' });
  });

  it('keeps an absent or null loss absent, and a string a bad line', () => {
    expect(parseReplayLine(run(null))).toMatchObject({ ok: true, line: { elevation_loss_m: null } });
    expect(parseReplayLine(run('80'))).toEqual({ ok: false, error: 'run: elevation_loss_m must be a number of metres' });
  });
});

describe('parseReplayLine: the hand-written checks agree with the zod schema', () => {
  const good = [
    { type: 'athlete', athlete: 'a1', timezone: 'Europe/Oslo', units: 'mi' },
    { type: 'athlete', timezone: null, units: null },
    { type: 'athlete', athlete: 'a1', extra: 1 },
    { type: 'shoe', athlete: 'a1', id: 's1', name: 'Pegasus 40', distance_m: 612000, retire_m: 800000, retired: false },
    { type: 'shoe', id: 's1', name: '', distance_m: null, retire_m: null, retired: null },
    {
      type: 'run',
      athlete: 'a1',
      id: 'r1',
      start: '2025-03-02T07:10:00+01:00',
      distance_m: 10230,
      moving_s: 3120,
      elapsed_s: 3300,
      elevation_gain_m: -5,
      elevation_loss_m: 80,
      cadence_spm: 168,
      avg_hr: 151,
      shoe: 's1',
      sport: 'running',
      device: 'x',
    },
    { type: 'run', id: 'r2', start: '2025-03-02T07:10', distance_m: 0, elevation_loss_m: -0.5 },
    { type: 'run', id: 'r3', start: '2025-03-02T07:10:00.5Z', distance_m: 1, moving_s: null, shoe: null, sport: null },
    { type: 'run', id: 'r4', start: '2025-03-02T07:10:00-0130', distance_m: 1, sport: 'cycling' },
    { type: 'pain', athlete: 'a1', run: 'r1', location: 'lateral_knee', onset_m: 6500, onset_s: 2100, severity: 4, has_pain: true },
    { type: 'pain', run: 'r1', location: null, onset_m: null, severity: 0, has_pain: null },
  ];
  const bad = [
    { type: 'athlete', athlete: '' },
    { type: 'athlete', athlete: null },
    { type: 'athlete', athlete: 7 },
    { type: 'athlete', timezone: 'Mars/Olympus' },
    { type: 'athlete', timezone: '' },
    { type: 'athlete', units: 'miles' },
    { type: 'shoe' },
    { type: 'shoe', id: '' },
    { type: 'shoe', id: 's1', name: 3, distance_m: -1, retire_m: 0, retired: 'yes' },
    { type: 'shoe', id: 's1', distance_m: '5' },
    { type: 'run', id: 'r1', start: '2025-03-02T07:10:00+01:00' },
    { type: 'run', id: 'r1', distance_m: 1 },
    { type: 'run', id: 'r1', start: '2025-02-30T07:10:00', distance_m: 1 },
    { type: 'run', id: 'r1', start: '2025-03-02T25:10:00+01:00', distance_m: 1 },
    { type: 'run', id: 'r1', start: '2 March 2025', distance_m: 1 },
    { type: 'run', id: 'r1', start: 20250302, distance_m: -1 },
    { type: 'run', id: 'r1', start: '2025-03-02T07:10Z', distance_m: 1, moving_s: -1, elapsed_s: 'x', cadence_spm: -3, avg_hr: -1 },
    { type: 'run', id: 'r1', start: '2025-03-02T07:10Z', distance_m: 1, elevation_loss_m: -1, elevation_gain_m: '3' },
    { type: 'run', id: 'r1', start: '2025-03-02T07:10Z', distance_m: 1, shoe: '', sport: 4 },
    { type: 'run', id: 7, start: '2025-03-02T07:10Z', distance_m: 1 },
    { type: 'pain' },
    { type: 'pain', run: 'r1', location: 'elbow' },
    { type: 'pain', run: 'r1', severity: 4.5 },
    { type: 'pain', run: 'r1', severity: 11 },
    { type: 'pain', run: 'r1', severity: -1 },
    { type: 'pain', run: 'r1', onset_m: -1, onset_s: -2, has_pain: 1 },
  ];
  const lines = [...[...good, ...bad].map((line) => JSON.stringify(line)), '', '   ', 'not json', '[1]', 'null', '{"type":"lap"}', '{}'];

  it.each(lines)('%s', (line) => {
    expect(parseReplayLine(line)).toStrictEqual(parseReplayLineWithSchema(line));
  });

  it('accepts every good line and rejects every bad one (the corpus covers both paths)', () => {
    expect(good.map((line) => parseReplayLine(JSON.stringify(line)).ok)).toEqual(good.map(() => true));
    expect(bad.map((line) => parseReplayLine(JSON.stringify(line)).ok)).toEqual(bad.map(() => false));
  });
});
