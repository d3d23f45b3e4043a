import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addDays, ndjson, runLine, steadyTraining } from '../../libs/rules/test/synthetic-log';
import { Finished, startCompiled } from '../support/processes';

const CLI = 'dist/apps/cli/src/main.js';

async function deload(args: string[], stdin?: string): Promise<Finished> {
  const run = startCompiled(CLI, args, { PATH: process.env.PATH ?? '' });
  run.child.stdin?.end(stdin ?? '');
  return run.finished;
}

function tempFile(name: string, content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'deload-replay-')), name);
  writeFileSync(path, content);
  return path;
}

/** Five steady weeks in Auckland, then a 16 km long run on Monday 2025-02-10 at 05:30 (Sunday in UTC). */
function spikeLog(): string {
  const timezone = 'Pacific/Auckland';
  const lines = steadyTraining({
    athlete: 'kiwi',
    timezone,
    start: '2025-01-06',
    weeks: 5,
    seed: 11,
    weeklyPattern: [0, 8, 0, 8, 0, 0, 10],
    variation: 0,
  });
  lines.push(runLine('spike', addDays('2025-01-06', 35), 16, { athlete: 'kiwi', timezone, time: '05:30' }));
  return ndjson(lines);
}

describe('deload replay', () => {
  it('reads stdin and prints one JSON line per email, dated in the runner’s zone, the week’s increase under "also"', async () => {
    const { code, stdout, stderr } = await deload(['replay', '--input', '-'], spikeLog());
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toEqual([
      {
        athlete: 'kiwi',
        date: '2025-02-10',
        rule: 'single-run-spike',
        severity: 'caution',
        message: 'Your 16 km run on Monday was 60 % longer than anything in the 30 days before it (10 km).',
        facts: { runId: 'spike', runDate: '2025-02-10', distanceM: 16000, previousLongestM: 10000, ratio: 1.6, lookbackDays: 30 },
        also: [
          { rule: 'weekly-increase', severity: 'caution', message: expect.stringContaining('62 % more than your average week of 26 km') },
        ],
      },
    ]);
    expect(Object.keys(lines[0])).toEqual(['athlete', 'date', 'rule', 'severity', 'message', 'facts', 'also']);
  });

  it('reads a file and applies threshold overrides from --rules', async () => {
    const log = tempFile('log.ndjson', spikeLog());
    const rules = tempFile('rules.json', JSON.stringify({ 'single-run-spike': { caution: 1.7 } }));
    const { code, stdout, stderr } = await deload(['replay', '--input', log, '--rules', rules]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    // Without the spike, what is left is the week's jump: a weak sign, for the weekly summary only.
    expect(stdout).toBe('');
    const stats = await deload(['replay', '--input', log, '--rules', rules, '--stats']);
    expect(stats.stdout.split('\n')[1]).toMatch(/^kiwi\s+16\s+1\.1\s+0\s+0\.00\s+weekly-increase 0\/1$/);
  });

  it('--stats prints runs, months, emails per runner-month and signals by rule, per athlete and in total', async () => {
    const log = tempFile(
      'log.ndjson',
      spikeLog() + ndjson(steadyTraining({ athlete: 'oslo', timezone: 'Europe/Oslo', start: '2025-01-06', weeks: 8, seed: 2 })),
    );
    const { code, stdout, stderr } = await deload(['replay', '--input', log, '--stats']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout.split('\n')).toEqual([
      'athlete  runs  months  emails  per month  signals by rule (emailed/summary only)',
      'kiwi       16     1.1       1       0.87  single-run-spike 1/0, weekly-increase 1/0',
      'oslo       32     1.8       0       0.00  -',
      'total      48     3.0       1       0.34  single-run-spike 1/0, weekly-increase 1/0',
      '',
    ]);
  });

  it('--alert-emails none prints no emails; strongest only pain and high; a bad level is a usage error', async () => {
    expect(await deload(['replay', '--input', '-', '--alert-emails', 'none'], spikeLog())).toMatchObject({
      code: 0,
      stdout: '',
      stderr: '',
    });
    expect(await deload(['replay', '--input', '-', '--alert-emails', 'strongest'], spikeLog())).toMatchObject({ code: 0, stdout: '' });
    const bad = await deload(['replay', '--input', '-', '--alert-emails', 'some']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/argument 'some' is invalid. Allowed choices are all, strongest, none/);
  });

  it('--help documents the line formats and the statistics', async () => {
    const { code, stdout } = await deload(['replay', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('{"type":"run","athlete":"a1","id":"r1","start":"2025-03-02T07:10:00+01:00","distance_m":10230');
    expect(stdout).toContain('"also":[{"rule":"weekly-increase","severity":"caution","message":"…"}]');
    expect(stdout).toContain('--stats prints instead, per athlete and in total');
    for (const field of ['timezone', 'retire_m', 'cadence_spm', 'onset_m', 'severity 0-10', 'has_pain']) expect(stdout).toContain(field);
  });

  it('reports bad lines on stderr with their numbers, replays the rest and exits 1', async () => {
    const { code, stdout, stderr } = await deload(['replay', '--input', '-'], `${spikeLog()}{"type":"run","id":"x"}\nnot json\n`);
    expect(code).toBe(1);
    expect(stdout).toContain('"rule":"single-run-spike"');
    const lineCount = spikeLog().trim().split('\n').length;
    expect(stderr).toBe(
      `line ${lineCount + 1}: run: start must be an ISO 8601 date-time such as "2025-03-02T07:10:00+01:00"; distance_m must be a number of metres\n` +
        `line ${lineCount + 2}: not valid JSON (Unexpected token 'o', "not json" is not valid JSON)\n` +
        'deload: 2 bad lines skipped\n',
    );
  });

  it('exits 2 with one clear line on usage errors: no input, a missing file, a bad rules file', async () => {
    const missing = await deload(['replay']);
    expect(missing).toMatchObject({ code: 2, stdout: '' });
    expect(missing.stderr).toMatch(/required option '--input <file>' not specified/);
    expect(await deload(['replay', '--input', '/no/such/log.ndjson'])).toMatchObject({
      code: 2,
      stderr: 'deload: cannot read /no/such/log.ndjson: ENOENT\n',
    });
    const badJson = tempFile('rules.json', '{"weekly-increase": ');
    expect((await deload(['replay', '--input', '-', '--rules', badJson])).stderr).toMatch(/^deload: rules file .* is not valid JSON: /);
    const badRules = tempFile('rules.json', JSON.stringify({ 'weekly-increase': { caution: 0.9 }, monotny: {} }));
    expect(await deload(['replay', '--input', '-', '--rules', badRules])).toMatchObject({
      code: 2,
      stderr: `deload: rules file ${badRules}: invalid rule thresholds: weekly-increase.caution must be greater than 1 (got 0.9); unknown setting "monotny" (rules are single-run-spike, weekly-increase, pain-earlier, worn-shoes, cadence-drop, downhill-spike, monotony; or cooldownDays)\n`,
    });
  });

  it('gives the same output for a file whose athletes are not grouped (read again, whole) as for the grouped file', async () => {
    const kiwi = spikeLog().trim().split('\n');
    const other = kiwi.map((line) => line.replaceAll('"kiwi"', '"other"'));
    const grouped = tempFile('grouped.ndjson', [...kiwi, ...other].join('\n'));
    const interleaved = tempFile('interleaved.ndjson', [...kiwi.slice(0, 3), ...other, ...kiwi.slice(3)].join('\n'));
    const fromGrouped = await deload(['replay', '--input', grouped]);
    const fromInterleaved = await deload(['replay', '--input', interleaved]);
    expect(fromGrouped.code).toBe(0);
    expect(fromGrouped.stdout.trim().split('\n')).toHaveLength(2);
    expect(fromInterleaved).toMatchObject({ code: 0, stderr: '', stdout: fromGrouped.stdout });
  });
});
