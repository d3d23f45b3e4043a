import { Agent, request as httpRequest } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DataSource } from 'typeorm';
import { ActivityDecoder, FileImportService, UploadImporter } from '../../libs/ingest/src';
import { ImportFileEntity, RunEntity } from '../../libs/persistence/src';
import { stravaExportFiles, zipBytes } from '../support/archives';
import { signIn, SignedIn } from '../support/sessions';
import { fixturePath } from '../support/shared-fixtures';
import { Stack, startStack } from '../support/stack';
import { importFinished, uploadFiles } from '../support/uploads';

function form(files: { name: string; content: Uint8Array }[], fields: Record<string, string> = {}): FormData {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.append(name, value);
  for (const file of files) body.append('files', new Blob([Buffer.from(file.content)]), file.name);
  return body;
}

/** Sends `sent` bytes of a body whose headers announce more (or nothing), and returns the status the server answers with. */
function partialUpload(
  url: string,
  runner: SignedIn,
  headers: Record<string, string | number>,
  chunks: number,
  chunkSize = 64 * 1024,
): Promise<{ status: number; body: string; sentBytes: number; sentBeforeAnswer: number }> {
  return new Promise((resolve, reject) => {
    let sentBytes = 0;
    const target = new URL('/api/runs/files', url);
    const req = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        // A keep-alive connection of its own (agent: false would ask the server to close at once,
        // racing our writes); the refused body never ends, so no later request may reuse it.
        agent: new Agent({ keepAlive: true, maxSockets: 1 }),
        headers: { ...runner.headers, 'content-type': 'multipart/form-data; boundary=xyz', ...headers },
      },
      (res) => {
        const sentBeforeAnswer = sentBytes;
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => {
          req.destroy();
          resolve({ status: res.statusCode ?? 0, body, sentBytes, sentBeforeAnswer });
        });
      },
    );
    req.on('error', (error) => (sentBytes > 0 ? undefined : reject(error)));
    const head = Buffer.from(
      '--xyz\r\nContent-Disposition: form-data; name="files"; filename="big.fit"\r\nContent-Type: application/octet-stream\r\n\r\n',
    );
    req.write(head);
    sentBytes += head.length;
    let written = 0;
    const writeNext = () => {
      if (req.destroyed) return;
      if (written >= chunks) return void req.end();
      written += 1;
      sentBytes += chunkSize;
      req.write(Buffer.alloc(chunkSize), () => setImmediate(writeNext));
    };
    writeNext();
  });
}

jest.setTimeout(60_000);

describe('POST /api/runs/files, imported by the worker (GET /api/imports/:id)', () => {
  let stack: Stack;
  let app: NestExpressApplication;
  let url: string;

  beforeAll(async () => {
    stack = await startStack({ api: true, worker: true, env: { MAX_UPLOAD_MB: '2' } });
    ({ api: app, url } = stack);
  });

  afterAll(() => stack?.stop());

  const post = (runner: SignedIn, body: FormData) => fetch(`${url}/api/runs/files`, { method: 'POST', headers: runner.headers, body });
  const upload = (runner: SignedIn, body: FormData) => uploadFiles(url, runner.headers, body);
  const fit = readFileSync(fixturePath('fit', 'running-with-developer-data.fit'));
  const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);

  it('answers 202 with the import at once; the worker imports the files and the import answers for each', async () => {
    const runner = await signIn(app);
    const response = await post(
      runner,
      form([
        { name: 'run.fit', content: fit },
        { name: 'photo.fit', content: png },
      ]),
    );
    expect(response.status).toBe(202);
    const taken = (await response.json()) as { id: string; status: string; url: string; received: object[] };
    expect(taken).toEqual({
      id: expect.any(String),
      status: 'queued',
      url: `/api/imports/${taken.id}`,
      received: [
        { filename: 'run.fit', sizeBytes: fit.length },
        { filename: 'photo.fit', sizeBytes: png.length },
      ],
    });
    expect(response.headers.get('location')).toBe(taken.url);

    const finished = await importFinished(url, taken.url, runner.headers);
    expect(finished).toMatchObject({ id: taken.id, status: 'done', progress: { done: 2, total: 2 } });
    expect(finished.counts).toEqual({ imported: 1, duplicate: 0, rejected: 1 });
    expect(finished.files).toEqual([
      expect.objectContaining({
        filename: 'run.fit',
        status: 'imported',
        runs: [expect.objectContaining({ status: 'inserted', sport: 'run', isRun: true })],
      }),
      expect.objectContaining({
        filename: 'photo.fit',
        status: 'rejected',
        reason: 'not a FIT file (it looks like a PNG image)',
        runs: [],
      }),
    ]);
    const dataSource = app.get(DataSource);
    expect(await dataSource.getRepository(RunEntity).countBy({ userId: runner.user.id })).toBe(1);
    const rows = await dataSource.getRepository(ImportFileEntity).findBy({ userId: runner.user.id });
    expect(rows.map((row) => [row.filename, row.channel, row.status]).sort()).toEqual([
      ['photo.fit', 'upload', 'rejected'],
      ['run.fit', 'upload', 'imported'],
    ]);
    // The bytes are gone once imported.
    expect(await dataSource.query(`SELECT count(*)::int AS n FROM upload_chunks WHERE upload_id = $1`, [taken.id])).toEqual([{ n: 0 }]);

    const again = await upload(runner, form([{ name: 'run.fit', content: fit }]));
    expect(again.accepted).toBe(202);
    expect(again.body.files![0]).toMatchObject({ status: 'duplicate' });
  });

  it('leaves decoding to the worker: the api has no decoder, no file importer', () => {
    for (const provider of [ActivityDecoder, FileImportService, UploadImporter]) {
      expect(() => app.get(provider, { strict: false })).toThrow(/not find|does not exist|not found/i);
    }
  });

  it('shows an import only to the runner who uploaded it: 404 for anyone else and for ids that are not one', async () => {
    const runner = await signIn(app);
    const taken = (await (await post(runner, form([{ name: 'run.fit', content: fit }]))).json()) as { url: string };
    const other = await signIn(app);
    const theirs = await fetch(`${url}${taken.url}`, { headers: other.headers });
    expect(theirs.status).toBe(404);
    expect(await theirs.json()).toMatchObject({ message: 'no such import' });
    expect((await fetch(`${url}/api/imports/not-an-id`, { headers: runner.headers })).status).toBe(404);
    expect((await fetch(`${url}/api/imports/00000000-0000-4000-8000-000000000000`, { headers: runner.headers })).status).toBe(404);
    expect((await fetch(`${url}${taken.url}`, { headers: { accept: 'application/json' } })).status).toBe(401);
    expect((await fetch(`${url}${taken.url}`, { headers: runner.headers })).status).toBe(200);
  });

  it('marks an import failed, with each file’s reason, when no file could be imported', async () => {
    const runner = await signIn(app);
    const { accepted, body } = await upload(runner, form([{ name: 'empty.fit', content: new Uint8Array(0) }]));
    expect(accepted).toBe(202);
    expect(body).toMatchObject({
      status: 'failed',
      message: expect.stringMatching(/no file could be imported/),
      files: [{ status: 'rejected', reason: 'empty file: it has no bytes' }],
    });
  });

  describe('exports, told by content', () => {
    const exportFixture = (name: string) => readFileSync(join(__dirname, '../../libs/ingest/src/formats/fixtures', name));
    const ambiguousCsv = Buffer.from(
      [
        'Activity Type,Date,Favorite,Title,Distance,Time',
        'Running,2024-05-01 07:00:00,false,"Run","6.00","00:40:00"',
        'Running,2024-05-03 07:00:00,false,"Run","8.00","00:55:00"',
      ].join('\n'),
    );

    it('asks for the units field when a Garmin CSV leaves km or mi open, and takes it when given', async () => {
      const runner = await signIn(app);
      const unsure = await upload(runner, form([{ name: 'Activities.csv', content: ambiguousCsv }]));
      expect(unsure.body).toMatchObject({
        status: 'failed',
        files: [{ status: 'rejected', reason: expect.stringMatching(/kilometres or miles.*form field `units` set to km or mi/) }],
      });
      const told = await upload(runner, form([{ name: 'Activities.csv', content: ambiguousCsv }], { units: 'mi' }));
      expect(told.body.status).toBe('done');
      expect(told.body.counts).toEqual({ imported: 2, duplicate: 0, rejected: 0 });
      const runs = await app.get(DataSource).getRepository(RunEntity).findBy({ userId: runner.user.id });
      expect(runs.map((run) => Math.round(run.distanceM)).sort()).toEqual([12875, 9656]);
    });

    it('answers 400 for a units value other than km or mi, importing nothing', async () => {
      const runner = await signIn(app);
      const response = await post(runner, form([{ name: 'Activities.csv', content: ambiguousCsv }], { units: 'yards' }));
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ message: expect.stringMatching(/units must be km or mi/) });
      expect(await app.get(DataSource).getRepository(ImportFileEntity).countBy({ userId: runner.user.id })).toBe(0);
      expect(await app.get(DataSource).query(`SELECT count(*)::int AS n FROM uploads WHERE user_id = $1`, [runner.user.id])).toEqual([
        { n: 0 },
      ]);
    });

    it('imports a Polar Flow export zip and a lone Strava activities.csv, each activity accounted for', async () => {
      const runner = await signIn(app);
      const polar = await zipBytes({
        'training-session-2024-05-02-7012345678-6f1c.json': exportFixture('training-session-2024-05-02-7012345678-6f1c.json'),
      });
      const csv = Buffer.from(stravaExportFiles()['activities.csv'] as string);
      const { body } = await upload(
        runner,
        form([
          { name: 'polar.zip', content: polar },
          { name: 'activities.csv', content: csv },
        ]),
      );
      expect(body).toMatchObject({ status: 'done', progress: { done: 6, total: 6 } });
      expect(body.counts).toEqual({ imported: 6, duplicate: 0, rejected: 0 });
      expect((body.files![1].entries as object[])[0]).toMatchObject({
        status: 'imported',
        warnings: ['activities/1001.fit.gz is missing from the export: stored from its activities.csv row'],
      });
    });
  });

  it('refuses a 200 MB upload with 413 as soon as its Content-Length is known', async () => {
    const runner = await signIn(app);
    const result = await partialUpload(url, runner, { 'content-length': 200 * 1024 * 1024 }, 4);
    expect(result.status).toBe(413);
    expect(JSON.parse(result.body)).toMatchObject({
      statusCode: 413,
      message: expect.stringMatching(/^upload too large: the limit is 2 MB/),
    });
    expect(result.sentBytes).toBeLessThan(1024 * 1024);
  });

  it('stops a chunked upload without Content-Length once it passes the limit', async () => {
    const runner = await signIn(app);
    const result = await partialUpload(url, runner, { 'transfer-encoding': 'chunked' }, 400);
    expect(result.status).toBe(413);
    // The answer comes once the limit (2 MB) is passed, long before the 25 MB body is sent.
    expect(result.sentBeforeAnswer).toBeLessThan(12 * 1024 * 1024);
  });

  it('refuses a request that is not multipart, and one with no files', async () => {
    const runner = await signIn(app);
    const json = await fetch(`${url}/api/runs/files`, {
      method: 'POST',
      headers: { ...runner.headers, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(json.status).toBe(400);
    expect(await json.json()).toMatchObject({ message: 'send the files as multipart/form-data (one or more file fields)' });
    const empty = new FormData();
    empty.append('note', 'no files here');
    const noFiles = await post(runner, empty);
    expect(noFiles.status).toBe(400);
    expect(await noFiles.json()).toMatchObject({ message: 'no files in the upload: add them as file fields of the form' });
  });

  it('requires a signed-in runner and the CSRF token', async () => {
    const anonymous = await fetch(`${url}/api/runs/files`, {
      method: 'POST',
      headers: { accept: 'application/json' },
      body: form([{ name: 'run.fit', content: fit }]),
    });
    expect(anonymous.status).toBe(401);
    const runner = await signIn(app);
    const noCsrf = await fetch(`${url}/api/runs/files`, {
      method: 'POST',
      headers: { cookie: runner.cookie },
      body: form([{ name: 'run.fit', content: fit }]),
    });
    expect(noCsrf.status).toBe(403);
    expect(await app.get(DataSource).getRepository(RunEntity).countBy({ userId: runner.user.id })).toBe(0);
  });
});

describe('an upload while no worker runs', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ api: true, redisPrefix: 'upload-no-worker' });
  });

  afterAll(() => stack?.stop());

  it('waits, stored, until a worker comes; the worker then imports it', async () => {
    const runner = await signIn(stack.api);
    const body = form([{ name: 'run.fit', content: readFileSync(fixturePath('fit', 'running-with-developer-data.fit')) }]);
    const response = await fetch(`${stack.url}/api/runs/files`, { method: 'POST', headers: runner.headers, body });
    expect(response.status).toBe(202);
    const { id, url: importUrl } = (await response.json()) as { id: string; url: string };
    const queued = await fetch(`${stack.url}${importUrl}`, { headers: runner.headers });
    expect(await queued.json()).toMatchObject({ id, status: 'queued', progress: { done: 0, total: 1 } });
    const [{ n }] = await stack.db.query(`SELECT count(*)::int AS n FROM upload_chunks WHERE upload_id = $1`, [id]);
    expect(n).toBeGreaterThan(0);

    await stack.workerProcess();
    const finished = await importFinished(stack.url, importUrl, runner.headers);
    expect(finished).toMatchObject({ status: 'done', counts: { imported: 1, duplicate: 0, rejected: 0 } });
    expect(await stack.db.getRepository(RunEntity).countBy({ userId: runner.user.id })).toBe(1);
  });
});
