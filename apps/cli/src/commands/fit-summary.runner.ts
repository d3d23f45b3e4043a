import { readFile, stat } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { DEFAULT_MAX_FIT_BYTES, mapFitFile, replayRunLine } from '@deload/fit';
import { CliError, EXIT_USAGE } from '../cli-error';

async function readFitFile(path: string): Promise<Uint8Array> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) throw new CliError(`no such file: ${path}`, EXIT_USAGE);
  const bytes = await readFile(path);
  const gzipped = bytes[0] === 0x1f && bytes[1] === 0x8b;
  return gzipped ? gunzipSync(bytes, { maxOutputLength: DEFAULT_MAX_FIT_BYTES }) : bytes;
}

/** Prints each session of a FIT file as a replay `run` line (plus sport, device, records). */
export async function printFitSummary(file: string): Promise<void> {
  for (const fitRun of mapFitFile(await readFitFile(file))) {
    if (fitRun.run.flags?.includes('truncated')) {
      process.stderr.write(`deload: warning: ${file} is truncated; this is the activity up to the damage\n`);
    }
    process.stdout.write(`${JSON.stringify(replayRunLine(fitRun))}\n`);
  }
}
