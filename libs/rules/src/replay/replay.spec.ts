import { parseThresholds } from '../thresholds';
import { Replay, ReplayOptions, ReplayResult } from './replay';
import { addDays, Line, runLine, steadyTraining } from '../../test/synthetic-log';

function replay(lines: (Line | string)[], thresholds?: ConstructorParameters<typeof Replay>[0], options?: ReplayOptions): ReplayResult {
  const replayer = new Replay(thresholds, options);
  for (const line of lines) replayer.addLine(typeof line === 'string' ? line : JSON.stringify(line));
  return replayer.run();
}

/**
 * Twenty weeks of a Los Angeles runner (2025-01-06 to 2025-05-25), 40 km a week on Tuesday 8,
 * Wednesday 10, Friday 8 and a 14 km Sunday long run, with:
 *  - a pair of shoes at 480 km on day one: 500 km on Friday 2025-01-10, 800 km on Sunday 2025-03-02;
 *    a new pair from Monday 2025-03-10;
 *  - a 21 km long run on Sunday 2025-03-09 (the day US clocks change), finished in the evening:
 *    after 18:00 in Los Angeles it is already Monday in UTC;
 *  - outer-knee pain in April: from 7 km on Tuesday 04-08, from 5.5 km on Wednesday 04-09, from
 *    1.5 km on Friday 04-11, then a short pain-free run on Sunday 04-13;
 *  - a bike ride, which is not running.
 */
function scenario(): Line[] {
  const timezone = 'America/Los_Angeles';
  const lines: Line[] = [
    { type: 'athlete', athlete: 'a1', timezone },
    { type: 'shoe', athlete: 'a1', id: 's1', name: 'Pegasus 40', distance_m: 480_000 },
    { type: 'shoe', athlete: 'a1', id: 's2', name: 'Novablast 4', distance_m: 0 },
  ];
  const week = [0, 8, 10, 0, 8, 0, 14];
  for (let day = 0; day < 20 * 7; day++) {
    const date = addDays('2025-01-06', day);
    let km = week[day % 7];
    if (!km) continue;
    const shoe = date < '2025-03-10' ? 's1' : 's2';
    let time = '07:00';
    if (date === '2025-03-09') [km, time] = [21, '18:30'];
    if (date === '2025-04-13') km = 6;
    lines.push(runLine(`r-${date}`, date, km, { athlete: 'a1', timezone, shoe, time }));
  }
  lines.push({ ...runLine('ride-1', '2025-02-15', 60, { athlete: 'a1', timezone }), sport: 'ride' });
  lines.push(
    { type: 'pain', athlete: 'a1', run: 'r-2025-04-08', location: 'lateral_knee', onset_m: 7000, severity: 3 },
    { type: 'pain', athlete: 'a1', run: 'r-2025-04-09', location: 'lateral_knee', onset_m: 5500, onset_s: 1800, severity: 4 },
    { type: 'pain', athlete: 'a1', run: 'r-2025-04-11', location: 'lateral_knee', onset_m: 1500, severity: 6 },
    { type: 'pain', athlete: 'a1', run: 'r-2025-04-13', severity: 0 },
  );
  return lines;
}

/**
 * Five weeks of 26 km (8, 8 and a 10 km long run), then a week of 47.5 km: 10.5 km on Tuesday,
 * Thursday and Friday (the week's increase shows from Friday) and a 16 km long run on Sunday.
 */
function spikeWeek(): Line[] {
  const lines: Line[] = [{ type: 'athlete', athlete: 'w', timezone: 'Europe/Oslo' }];
  for (let day = 0; day < 6 * 7; day++) {
    const km = day < 35 ? [0, 8, 0, 8, 0, 0, 10][day % 7] : [0, 10.5, 0, 10.5, 10.5, 0, 16][day % 7];
    if (km) lines.push(runLine(`r${day}`, addDays('2025-01-06', day), km, { athlete: 'w', timezone: 'Europe/Oslo' }));
  }
  return lines;
}

describe('Replay', () => {
  it('emails exactly what a careful coach would flag in a 20-week history, on the runner’s local dates', () => {
    const result = replay(scenario());
    expect(result.problems).toEqual([]);
    expect(result.runs).toBe(80);
    // The shoe at 500 km (a weak sign) waits for the weekly summary; the same shoe at 800 km emails.
    expect(result.alerts.map(({ athlete, date, rule, severity }) => ({ athlete, date, rule, severity }))).toEqual([
      { athlete: 'a1', date: '2025-03-02', rule: 'worn-shoes', severity: 'warning' },
      { athlete: 'a1', date: '2025-03-09', rule: 'single-run-spike', severity: 'caution' },
      { athlete: 'a1', date: '2025-04-09', rule: 'pain-earlier', severity: 'warning' },
      { athlete: 'a1', date: '2025-04-11', rule: 'pain-earlier', severity: 'high' },
    ]);
    const [shoeWarning, spike, painWarning] = result.alerts;
    expect(shoeWarning).toMatchObject({
      message: 'Your Pegasus 40 have covered 800 km: time to retire them.',
      facts: { shoeId: 's1', distanceM: 800000 },
    });
    expect(spike).toMatchObject({
      message: 'Your 21 km run on Sunday was 50 % longer than anything in the 30 days before it (14 km).',
      facts: { runId: 'r-2025-03-09', runDate: '2025-03-09', ratio: 1.5 },
    });
    expect(painWarning.message).toBe(
      'Your outer-knee pain is starting earlier: at 5.5 km on Wednesday after 7 km the time before (21 % sooner).',
    );
  });

  it('emits nothing for a year of ordinary steady training', () => {
    const lines = steadyTraining({
      athlete: 'steady',
      timezone: 'Europe/Oslo',
      start: '2025-01-06',
      weeks: 52,
      seed: 7,
      newShoesEveryKm: 450,
    });
    const result = replay(lines);
    expect(result.runs).toBe(208);
    expect(result.alerts).toEqual([]);
    expect(result.problems).toEqual([]);
  });

  it('replays athletes independently, in order of first appearance', () => {
    const lines = [
      ...steadyTraining({ athlete: 'quiet', timezone: 'UTC', start: '2025-01-06', weeks: 20, seed: 3, newShoesEveryKm: 450 }),
      ...scenario(),
    ];
    const result = replay(lines);
    expect(result.athletes).toBe(2);
    expect(new Set(result.alerts.map((alert) => alert.athlete))).toEqual(new Set(['a1']));
    expect(result.alerts).toHaveLength(4);
    expect(result.stats.map((athlete) => [athlete.athlete, athlete.emails])).toEqual([
      ['quiet', 0],
      ['a1', 4],
    ]);
  });

  it('sends one email for a spike week with a weekly increase, led by the spike, the increase "also this week"', () => {
    const result = replay(spikeWeek());
    expect(result.alerts).toEqual([
      {
        athlete: 'w',
        date: '2025-02-16',
        rule: 'single-run-spike',
        severity: 'caution',
        message: 'Your 16 km run on Sunday was 52 % longer than anything in the 30 days before it (11 km).',
        facts: expect.objectContaining({ runId: 'r41', ratio: 1.524 }),
        also: [
          {
            rule: 'weekly-increase',
            severity: 'caution',
            message: 'You ran 48 km in the last 7 days, 83 % more than your average week of 26 km over the 4 weeks before.',
          },
        ],
      },
    ]);
    expect(Object.keys(result.alerts[0])).toEqual(['athlete', 'date', 'rule', 'severity', 'message', 'facts', 'also']);
  });

  it('counts runs, months, emails and signals per athlete, emailed or summary only', () => {
    const [stats] = replay(spikeWeek()).stats;
    expect(stats).toEqual({
      athlete: 'w',
      runs: 19,
      firstDate: '2025-01-07',
      lastDate: '2025-02-16',
      months: 41 / (365.25 / 12),
      emails: 1,
      signals: { 'single-run-spike': { emailed: 1, summaryOnly: 0 }, 'weekly-increase': { emailed: 1, summaryOnly: 0 } },
    });
  });

  it('emails nothing for a runner who chose the weekly summary only, and only the strongest for "strongest"', () => {
    const none = replay(scenario(), undefined, { level: 'none', signals: true });
    expect(none.alerts).toEqual([]);
    expect(none.stats[0].signals).toEqual({
      'worn-shoes': { emailed: 0, summaryOnly: 1 },
      'single-run-spike': { emailed: 0, summaryOnly: 1 },
      'pain-earlier': { emailed: 0, summaryOnly: 1 },
    });
    expect(none.signals.map((signal) => [signal.rule, signal.severity, signal.firstEmail])).toEqual([
      ['worn-shoes', 'warning', null],
      ['single-run-spike', 'caution', null],
      ['pain-earlier', 'high', null],
    ]);
    const strongest = replay(scenario(), undefined, { level: 'strongest' });
    expect(strongest.alerts.map((alert) => [alert.date, alert.rule, alert.severity])).toEqual([
      ['2025-04-09', 'pain-earlier', 'warning'],
      ['2025-04-11', 'pain-earlier', 'high'],
    ]);
  });

  it('applies threshold overrides', () => {
    const result = replay(scenario(), parseThresholds({ 'single-run-spike': { caution: 1.6 } }));
    expect(result.alerts.map((alert) => alert.rule)).not.toContain('single-run-spike');
  });

  it('reports bad lines with their numbers and replays the rest', () => {
    const lines: (Line | string)[] = [
      { type: 'athlete', athlete: 'x', timezone: 'Mars/Olympus' },
      '{"type":"run","id":"r1","start":"2025-03-02T07:10:00+01:00"',
      { type: 'run', id: 'r1', start: '2025-03-02T07:10:00+01:00', distance_m: -5 },
      { type: 'run', id: 'r2', start: '2025-02-30T07:10:00+01:00', distance_m: 5000 },
      { type: 'run', id: 'r3', start: 'yesterday', distance_m: 5000 },
      { type: 'lap', id: 'l1' },
      { type: 'pain', run: 'nope', location: 'lateral_knee', onset_m: 4000 },
      { type: 'pain', run: 'r4', location: 'elbow' },
      '',
      { type: 'run', id: 'r4', start: '2025-03-02T07:10:00+01:00', distance_m: 5000 },
      { type: 'run', id: 'r4', start: '2025-03-03T07:10:00+01:00', distance_m: 5000 },
      '[1,2]',
    ];
    const result = replay(lines);
    expect(result.problems).toEqual([
      { line: 1, error: 'athlete: timezone must be an IANA time zone such as "Europe/Oslo"' },
      { line: 2, error: expect.stringMatching(/^not valid JSON/) },
      { line: 3, error: 'run: distance_m must be a number of metres ≥ 0' },
      { line: 4, error: 'run: start is not a real date-time' },
      { line: 5, error: 'run: start must be an ISO 8601 date-time such as "2025-03-02T07:10:00+01:00"' },
      { line: 6, error: 'unknown type "lap" (expected athlete, shoe, run or pain)' },
      { line: 7, error: 'pain: run "nope" of athlete "me" is not in the file' },
      { line: 8, error: expect.stringMatching(/^pain: location must be one of lateral_knee, knee, hip/) },
      { line: 11, error: 'run "r4" of athlete "me" appears twice (first on line 10)' },
      { line: 12, error: 'must be a JSON object' },
    ]);
    expect(result.runs).toBe(1);
  });

  it('reads a start without an offset as wall-clock time in the athlete’s zone, and defaults to UTC', () => {
    const lines = [
      { type: 'athlete', athlete: 'nz', timezone: 'Pacific/Auckland' },
      { type: 'run', athlete: 'nz', id: 'a', start: '2025-03-03T06:00:00', distance_m: 5000 },
      { type: 'run', athlete: 'utc', id: 'b', start: '2025-03-03T06:00:00', distance_m: 5000 },
    ];
    expect(replay(lines)).toMatchObject({ problems: [], runs: 2, athletes: 2 });
  });
});
