const BASE = 'http://deload.invalid';

/**
 * Where to send someone after signing in: only a path on this site ("/runners/1?x=y"), never
 * another origin ("//evil.example", "https://…", "/\\evil"); anything else becomes "/". The path is
 * judged after normalising it as a browser would: "/.//evil.example" becomes "//evil.example",
 * which a browser reads as another host.
 */
export function localPath(next: unknown): string {
  if (typeof next !== 'string' || !isSameSitePath(next)) return '/';
  try {
    const url = new URL(next, BASE);
    const path = `${url.pathname}${url.search}${url.hash}`;
    return url.origin === BASE && isSameSitePath(path) ? path : '/';
  } catch {
    return '/';
  }
}

function isSameSitePath(path: string): boolean {
  return path.startsWith('/') && !path.startsWith('//') && !path.includes('\\') && ![...path].some(isControlCharacter);
}

function isControlCharacter(character: string): boolean {
  const code = character.charCodeAt(0);
  return code < 0x20 || code === 0x7f;
}
