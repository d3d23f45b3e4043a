import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The key in SECRET_KEY_FILE, made on first start when the file does not exist yet (64 hex chars,
 * mode 600, in a folder only its owner can open when we create it). Several processes starting
 * together (`npm start` runs the api and the worker) agree: each writes a complete key to a file of
 * its own and hard-links it into place, which only one can do; the others read the winner's. A
 * reader never sees a half-written file. Lets `npm start` and `docker compose up` work without a
 * hand-made key while the key still survives restarts.
 */
export function readOrCreateSecretKey(path: string): string {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const candidate = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(candidate, `${randomBytes(32).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
  try {
    linkSync(candidate, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(candidate);
  }
  const key = readFileSync(path, 'utf8').trim();
  if (!key) throw new Error('the file is empty');
  return key;
}
