import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DataSource } from 'typeorm';
import { gpxTrack, zipBytes } from '../support/archives';
import { buildFitRun } from '../support/fit-files';
import { pathologicalGpxFiles } from '../support/pathological-files';
import { signIn, SignedIn } from '../support/sessions';
import { Stack, startStack } from '../support/stack';
import { uploadFiles } from '../support/uploads';

interface UploadAnswer {
  counts: Record<string, number>;
  files: { filename: string; status: string; reason?: string; entries?: { filename: string; status: string; reason?: string }[] }[];
}

function form(files: Record<string, Uint8Array | string>): FormData {
  const body = new FormData();
  for (const [name, content] of Object.entries(files)) body.append('files', new Blob([Buffer.from(content)]), name);
  return body;
}

/** A pid no process has: one of a child that has exited (the OS does not hand it out again at once). */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!;
}

jest.setTimeout(120_000);

describe('security: files made to hurt the decoders (issue 11, items 2 and 6)', () => {
  let stack: Stack;
  let app: NestExpressApplication;
  let url: string;
  let db: DataSource;
  const host = hostname().replace(/[^A-Za-z0-9.]/g, '_');
  const leftByCrash = join(tmpdir(), `deload-upload-${host}-${deadPid()}-abc123-Xy9Zq1`);
  const ofLiveProcess = join(tmpdir(), `deload-upload-${host}-${process.ppid}-abc123-Qw3Er4`);

  beforeAll(async () => {
    for (const folder of [leftByCrash, ofLiveProcess]) {
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, '0'), 'half an upload');
    }
    stack = await startStack({ api: true, worker: true });
    ({ api: app, url, db } = stack);
  });

  afterAll(async () => {
    rmSync(ofLiveProcess, { recursive: true, force: true });
    await stack?.stop();
  });

  const upload = async (runner: SignedIn, files: Record<string, Uint8Array | string>) => {
    // Taken at once (202); the worker imports the files, and the import says done or, when every file was refused, failed.
    const { accepted, body } = await uploadFiles(url, runner.headers, form(files));
    expect(accepted).toBe(202);
    return { status: body.status, body: body as unknown as UploadAnswer };
  };

  const reasons: Record<string, RegExp> = {
    'long-name.gpx': /element name holds 64,000 characters/,
    'megabyte-text.gpx': /element desc holds 1,048,576 characters/,
    'deep-nesting.gpx': /elements are nested more than 32 deep/,
    'huge-attribute.gpx': /attribute creator holds 1,048,576 characters/,
    'external-entity.gpx': /declares a DOCTYPE/,
    'entity-expansion.gpx': /declares a DOCTYPE/,
  };

  it('refuses each pathological GPX with its reason while the api keeps answering other requests', async () => {
    const runner = await signIn(app);
    const files = pathologicalGpxFiles();
    const uploads = Object.entries(files).map(([name, content]) => upload(runner, { [name]: content }));
    // Sent while the decoders are busy with the uploads: a blocked event loop would never answer it.
    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
    const overview = await fetch(`${url}/api/runners/${runner.user.id}/overview`, { headers: runner.headers });
    expect(overview.status).toBe(200);

    const answers = await Promise.all(uploads);
    for (const [index, name] of Object.keys(files).entries()) {
      const { status, body } = answers[index];
      expect({ name, status }).toEqual({ name, status: 'failed' });
      expect(body.files).toEqual([{ filename: name, status: 'rejected', reason: expect.stringMatching(reasons[name]), runs: [] }]);
    }
    const rows = await db.query(`SELECT filename, status, error FROM import_files WHERE user_id = $1 ORDER BY filename`, [runner.user.id]);
    expect(rows.map((row: { status: string }) => row.status)).toEqual(Object.keys(files).map(() => 'rejected'));
    expect(await db.query(`SELECT 1 FROM runs WHERE user_id = $1`, [runner.user.id])).toEqual([]);
  });

  it('gives every file of an upload its own result: a bad GPX between two good files is refused alone (no 500, nothing half-done)', async () => {
    const runner = await signIn(app);
    const { status, body } = await upload(runner, {
      'monday.fit': buildFitRun({ start: new Date('2025-03-03T07:00:00Z'), distanceM: 8000, durationS: 2700 }),
      'external-entity.gpx': pathologicalGpxFiles()['external-entity.gpx'],
      'wednesday.gpx': gpxTrack(new Date('2025-03-05T12:00:00Z'), 30),
    });
    expect(status).toBe('done');
    expect(body.files.map(({ filename, status: fileStatus }) => [filename, fileStatus])).toEqual([
      ['monday.fit', 'imported'],
      ['external-entity.gpx', 'rejected'],
      ['wednesday.gpx', 'imported'],
    ]);
    expect(body.counts).toEqual({ imported: 2, duplicate: 0, rejected: 1 });
    const [{ runs }] = await db.query(`SELECT count(*)::int AS runs FROM runs WHERE user_id = $1`, [runner.user.id]);
    expect(runs).toBe(2);
  });

  it('refuses pathological entries of a zip one by one and imports the rest of it', async () => {
    const runner = await signIn(app);
    const files = pathologicalGpxFiles();
    const zip = await zipBytes({
      'long-name.gpx': files['long-name.gpx'],
      'deep-nesting.gpx': files['deep-nesting.gpx'],
      'good.gpx': gpxTrack(new Date('2025-03-07T12:00:00Z'), 30),
    });
    const { status, body } = await upload(runner, { 'watch-export.zip': zip });
    expect(status).toBe('done');
    expect(body.files[0].entries).toEqual([
      expect.objectContaining({
        filename: 'watch-export.zip/long-name.gpx',
        status: 'rejected',
        reason: expect.stringMatching(reasons['long-name.gpx']),
      }),
      expect.objectContaining({
        filename: 'watch-export.zip/deep-nesting.gpx',
        status: 'rejected',
        reason: expect.stringMatching(reasons['deep-nesting.gpx']),
      }),
      expect.objectContaining({ filename: 'watch-export.zip/good.gpx', status: 'imported' }),
    ]);
  });

  it('removes at start the upload folders a crashed process left behind, and only those', () => {
    expect(existsSync(leftByCrash)).toBe(false);
    expect(existsSync(ofLiveProcess)).toBe(true);
  });
});
