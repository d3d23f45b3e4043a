import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { basename, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import { DomainError, invalid } from '@deload/domain';
import { createUploadFolder } from './upload-folders';

export interface ReceivedFile {
  /** The name the browser sent (path parts stripped). */
  filename: string;
  /** Where its bytes were written. */
  path: string;
  sizeBytes: number;
}

export interface ReceivedUpload {
  files: ReceivedFile[];
  /** The form's text fields (the last value of each name), such as `units`. */
  fields: Record<string, string>;
  /** Removes the temporary files. */
  dispose(): Promise<void>;
}

export interface UploadLimits {
  /** All files of one request together. */
  maxBytes: number;
  maxFiles: number;
  /** An upload that sends nothing for this long is dropped (its connection closed, its temporary files removed). */
  idleMs?: number;
}

/** A client that stopped sending mid-upload holds a connection and a temporary folder: not for longer than this. */
export const UPLOAD_IDLE_TIMEOUT_MS = 30_000;

const megabytes = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

const cutOff = () => invalid('the upload was cut off before it was complete');

export function tooLarge(maxBytes: number): DomainError {
  return new DomainError(
    'too_large',
    `upload too large: the limit is ${megabytes(maxBytes)} (MAX_UPLOAD_MB) for all files of one request together`,
  );
}

/** How long, and how much more, a refused upload may go on sending (discarded) after the answer before we hang up. */
const LINGER_MS = 1_000;
const LINGER_BYTES = 4 * 1024 * 1024;

/**
 * After refusing an upload whose body is still arriving: discard what comes for a moment, then
 * close the connection. Closing at once would reset it and the client could lose the answer;
 * keeping it open would mean reading the whole refused body.
 */
export function hangUpAfterAnswer(request: IncomingMessage, response: ServerResponse): void {
  response.once('finish', () => {
    if (request.complete) return;
    const hangUp = () => request.socket?.destroy();
    let discarded = 0;
    request.on('data', (chunk: Buffer) => {
      discarded += chunk.length;
      if (discarded > LINGER_BYTES) hangUp();
    });
    const timer = setTimeout(hangUp, LINGER_MS);
    timer.unref();
    request.socket?.once('close', () => clearTimeout(timer));
  });
}

/** Counts bytes through the pipe and fails once the request as a whole passes the limit. */
function byteLimit(counter: { bytes: number }, maxBytes: number): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      counter.bytes += chunk.length;
      done(counter.bytes > maxBytes ? tooLarge(maxBytes) : null, chunk);
    },
  });
}

/**
 * Streams every file of a multipart/form-data request to a temporary folder — never holding a
 * whole file in memory — and refuses (DomainError too_large) as soon as a Content-Length over
 * the limit is announced, or, without one, as soon as the bytes received pass it.
 */
export async function receiveMultipartFiles(request: IncomingMessage, limits: UploadLimits): Promise<ReceivedUpload> {
  const announced = Number(request.headers['content-length']);
  if (Number.isFinite(announced) && announced > limits.maxBytes) throw tooLarge(limits.maxBytes);
  if (!/^multipart\/form-data/i.test(request.headers['content-type'] ?? '')) {
    throw invalid('send the files as multipart/form-data (one or more file fields)');
  }
  if (request.destroyed) throw cutOff(); // the client gave up while the request was being authorised
  const folder = await createUploadFolder();
  const dispose = () => rm(folder, { recursive: true, force: true, maxRetries: 3 });
  const idleMs = limits.idleMs ?? UPLOAD_IDLE_TIMEOUT_MS;
  // Only while the body arrives: importing what was received may take longer without any traffic.
  const dropStalled = () => request.destroy(invalid(`the upload stalled: nothing arrived for ${Math.round(idleMs / 1000)} s`));
  request.socket?.setTimeout(idleMs);
  request.socket?.on('timeout', dropStalled);
  try {
    const { files, fields } = await writeParts(request, folder, limits);
    if (files.length === 0) throw invalid('no files in the upload: add them as file fields of the form');
    return { files, fields, dispose };
  } catch (error) {
    await dispose();
    throw error;
  } finally {
    request.socket?.setTimeout(0);
    request.socket?.off('timeout', dropStalled);
  }
}

function writeParts(request: IncomingMessage, folder: string, limits: UploadLimits): Promise<Pick<ReceivedUpload, 'files' | 'fields'>> {
  return new Promise((resolve, reject) => {
    const files: ReceivedFile[] = [];
    const fields: Record<string, string> = {};
    const writes: Promise<void>[] = [];
    const counter = { bytes: 0 };
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: request.headers, limits: { files: limits.maxFiles, fileSize: limits.maxBytes } });
    } catch (error) {
      return reject(invalid(`malformed multipart request: ${(error as Error).message}`));
    }
    let failed = false;
    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      request.unpipe(parser);
      reject(error instanceof DomainError ? error : invalid(`malformed multipart request: ${(error as Error).message}`));
    };
    parser.on('file', (_field, stream, info) => {
      const received: ReceivedFile = {
        filename: basename(info.filename || `file-${files.length + 1}`),
        path: join(folder, String(files.length)),
        sizeBytes: 0,
      };
      files.push(received);
      stream.on('limit', () => fail(tooLarge(limits.maxBytes)));
      const counted = byteLimit(counter, limits.maxBytes);
      counted.on('data', (chunk: Buffer) => (received.sizeBytes += chunk.length));
      writes.push(pipeline(stream, counted, createWriteStream(received.path)).catch(fail));
    });
    parser.on('field', (name, value) => (fields[name] = value));
    parser.on('filesLimit', () => fail(invalid(`too many files in one upload: at most ${limits.maxFiles}`)));
    parser.on('error', fail);
    parser.on('close', () => {
      Promise.all(writes).then(() => {
        if (!failed) resolve({ files, fields });
      }, fail);
    });
    request.on('error', fail);
    // A connection that closes mid-body may not say so with an error: without this the upload would wait forever.
    request.on('close', () => {
      if (!request.complete) fail(cutOff());
    });
    if (request.destroyed) return fail(cutOff());
    request.pipe(parser);
  });
}
