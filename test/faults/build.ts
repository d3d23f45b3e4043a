import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** The fault suite starts the compiled apps: build dist/ first (swc, about a second). It needs no shared database. */
export default function build(): void {
  const root = join(__dirname, '..', '..');
  execFileSync(process.execPath, [join(root, 'scripts', 'build.js')], { stdio: 'ignore' });
}
