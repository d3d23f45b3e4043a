import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The team's shared folder (DESIGN.md, fixtures). Tests only — the product never needs it.
 * DELOAD_SHARED_DIR wins; else `../shared` next to the checkout; else /work/shared (CI clones
 * the repository elsewhere).
 */
export function sharedDir(): string {
  const candidates = [process.env.DELOAD_SHARED_DIR, resolve(__dirname, '..', '..', '..', 'shared'), '/work/shared'];
  const found = candidates.find((dir): dir is string => !!dir && existsSync(join(dir, 'fixtures')));
  if (!found) throw new Error(`shared fixtures not found; set DELOAD_SHARED_DIR (looked in ${candidates.filter(Boolean).join(', ')})`);
  return found;
}

export function fixturePath(...parts: string[]): string {
  return join(sharedDir(), 'fixtures', ...parts);
}
