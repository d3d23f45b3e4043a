import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stravaExportFiles, tempDir, writeZip } from '../support/archives';
import { Finished, startCompiled } from '../support/processes';
import { uniqueEmail } from '../support/sessions';
import { fixturePath } from '../support/shared-fixtures';
import { testEnv } from '../support/test-env';

const STACK_LINE = /^\s+at .+:\d+:\d+\)?$/m;
const cli = (args: string[]): Promise<Finished> => startCompiled('dist/apps/cli/src/main.js', args, testEnv()).finished;

const BROKEN = ['activity-filecrc.fit', 'activity-activity-filecrc.fit', 'activity-settings-corruptheader.fit', 'nick.fit'];

// Each test starts processes or an app; the machine may be busy.
jest.setTimeout(60_000);

describe('deload fit-summary', () => {
  const files = readdirSync(fixturePath('fit')).filter((name) => name.endsWith('.fit'));

  it.each(files.filter((name) => !BROKEN.includes(name)))('%s prints one JSON line per session', async (file) => {
    const { code, stdout, stderr } = await cli(['fit-summary', fixturePath('fit', file)]);
    expect(code).toBe(0);
    expect(stderr).not.toMatch(STACK_LINE);
    const lines = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(line).toMatchObject({
        type: 'run',
        id: expect.any(String),
        start: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/),
      });
      expect(typeof line.distance_m).toBe('number');
      expect(typeof line.records).toBe('number');
    }
  });

  it.each(BROKEN)('%s fails with one line and exit 1', async (file) => {
    const { code, stdout, stderr } = await cli(['fit-summary', fixturePath('fit', file)]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(/^deload: (bad CRC|corrupt)/)]);
  });

  it('answers a missing file with a usage error', async () => {
    const { code, stderr } = await cli(['fit-summary', '/nonexistent/run.fit']);
    expect(code).toBe(2);
    expect(stderr).toBe('deload: no such file: /nonexistent/run.fit\n');
  });
});

describe('deload import', () => {
  const dir = tempDir('cli-import');

  it('imports files for a runner, reports each, and exits 1 when one was rejected', async () => {
    const email = uniqueEmail();
    const png = join(dir, 'photo.fit');
    writeFileSync(png, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]));
    const run = fixturePath('fit', 'garmin-fenix-5-run.fit');
    const first = await cli(['import', run, png, '--user', email]);
    expect(first.code).toBe(1);
    expect(first.stderr).toBe(`deload: no user ${email} yet, created one\n`);
    expect(first.stdout).toContain(`imported  ${run} — run 0.16 km on 2017-06-11`);
    expect(first.stdout).toContain(`rejected  ${png} — not a FIT file (it looks like a PNG image)`);
    expect(first.stdout).toMatch(/^1 imported, 0 duplicate, 1 rejected$/m);

    const again = await cli(['import', run, '--user', email]);
    expect(again.code).toBe(0);
    expect(again.stderr).toBe('');
    expect(again.stdout).toContain(`duplicate ${run} — already stored`);
  });

  it('imports a Strava export zip, one line per activity', async () => {
    const zip = await writeZip(dir, 'export.zip', stravaExportFiles());
    const { code, stdout } = await cli(['import', zip, '--user', uniqueEmail()]);
    expect(code).toBe(0);
    expect(stdout).toContain(`imported  ${zip} — 5 activities`);
    expect(stdout).toContain(`  imported  ${zip}/activities/1001.fit.gz — run 10.23 km on 2025-03-02`);
    expect(stdout).toMatch(/^5 imported, 0 duplicate, 0 rejected$/m);
  });

  it('imports a Garmin Connect CSV and a Polar session by content, and names a CSV it does not read as a CSV', async () => {
    const fixtures = join(__dirname, '../../libs/ingest/src/formats/fixtures');
    const garmin = join(fixtures, 'garmin-activities-de.csv');
    const polar = join(fixtures, 'training-session-2024-05-02-7012345678-6f1c.json');
    const unknown = join(dir, 'weights.fit');
    writeFileSync(unknown, 'date,weight,mood\n2024-05-01,70,good\n2024-05-02,69,fine\n');
    const { code, stdout, stderr } = await cli(['import', garmin, polar, unknown, '--user', uniqueEmail()]);
    expect(stderr).not.toMatch(STACK_LINE);
    expect(code).toBe(1);
    expect(stdout).toMatch(new RegExp(`^imported  ${garmin} — \\d+ activities$`, 'm'));
    expect(stdout).toContain(
      `  imported  ${garmin}/garmin-activities-de.csv line 2 (Laufen, 2024-05-02 07:10) — run 10.02 km on 2024-05-02`,
    );
    expect(stdout).toMatch(/^ {2}(imported|duplicate) .*training-session-2024-05-02.* — run 10\.02 km/m);
    expect(stdout).toContain(`rejected  ${unknown} — this looks like a CSV file we do not know`);
  });

  it.each([
    [['import', 'x.fit'], /required option '--user <email>' not specified/],
    [['import', '/nonexistent.fit', '--user', 'a@example.test'], /^deload: no such file or folder: \/nonexistent\.fit$/m],
    [
      ['import', fixturePath('fit', 'garmin-fenix-5-run.fit'), '--user', 'not-an-email'],
      /^deload: "not-an-email" is not an email address$/m,
    ],
  ])('exits 2 on a usage error: %j', async (args, message) => {
    const { code, stderr } = await cli(args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(STACK_LINE);
  });
});
