const BASE = 'http://deload.invalid';

/**
 * Where to send someone after signing in: only a path on this site ("/runners/1?x=y"), never
 * another origin ("//evil.example", "https://…", "/\\evil"); anything else becomes "/".
 */
export function localPath(next: unknown): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.includes('\\')) return '/';
  try {
    const url = new URL(next, BASE);
    return url.origin === BASE ? `${url.pathname}${url.search}${url.hash}` : '/';
  } catch {
    return '/';
  }
}
