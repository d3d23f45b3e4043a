import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The key in SECRET_KEY_FILE, made on first start when the file does not exist yet (64 hex chars,
 * mode 600). Several processes starting together agree: only one can create the file (`wx`), the
 * others read what it wrote. Lets `docker compose up` work without a hand-made key while the key
 * still survives restarts (it lives on a volume).
 */
export function readOrCreateSecretKey(path: string): string {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${randomBytes(32).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const key = readFileSync(path, 'utf8').trim();
  if (!key) throw new Error('the file is empty (another process may be writing it; start again)');
  return key;
}
