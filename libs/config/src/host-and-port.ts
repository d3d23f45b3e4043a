/** `host:port` of a service URL (its default port when the URL names none), for messages; no user or password. */
export function hostAndPort(url: string, defaultPort: number): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || defaultPort}`;
}
