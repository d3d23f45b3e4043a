import { isIP } from 'node:net';
import type { Env } from './env.schema';

/** Only this machine can connect: 127.0.0.0/8, ::1, localhost. */
export function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  if (host === 'localhost' || host === '::1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

/**
 * Why the api must not start, or undefined. With the public development key anyone can forge a
 * sign-in link for any account, so such an api may only be reachable from this machine.
 */
export function listenProblem(env: Pick<Env, 'usingDevelopmentSecretKey' | 'LISTEN_HOST'>): string | undefined {
  if (!env.usingDevelopmentSecretKey || isLoopbackHost(env.LISTEN_HOST)) return undefined;
  return [
    `SECRET_KEY is the public development key, and the api would listen on ${env.LISTEN_HOST ?? 'every network interface'}:`,
    'anyone who can reach it could forge a sign-in link for any account. Unset SECRET_KEY (a key is then',
    'generated into ./var/secret.key), or set your own (`openssl rand -hex 32`), or listen on this machine only (LISTEN_HOST=127.0.0.1).',
  ].join(' ');
}
