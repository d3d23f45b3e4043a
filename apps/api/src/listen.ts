import { NestExpressApplication } from '@nestjs/platform-express';
import { createServer } from 'node:net';
import { Env } from '@deload/config';

type ListenEnv = Pick<Env, 'LISTEN_HOST' | 'PORT'>;

/** Where a person on this machine opens the api: LISTEN_HOST, or localhost when it listens on every interface. */
export function localUrl(env: ListenEnv): string {
  const host = env.LISTEN_HOST && env.LISTEN_HOST !== '0.0.0.0' && env.LISTEN_HOST !== '::' ? env.LISTEN_HOST : 'localhost';
  return `http://${host.includes(':') ? `[${host}]` : host}:${env.PORT}`;
}

/** The start-up line: where the api listens, and the public address links use when that is elsewhere. */
export function listeningLine(env: ListenEnv & Pick<Env, 'PUBLIC_URL'>): string {
  const url = localUrl(env);
  const everywhere = env.LISTEN_HOST ? '' : ' (every interface)';
  const publicUrl = new URL(env.PUBLIC_URL).origin === url ? '' : `; links in emails use PUBLIC_URL ${env.PUBLIC_URL}`;
  return `Deload api listening on ${url}${everywhere}${publicUrl}`;
}

/** A failure to listen in one line naming the variable to set; other errors unchanged. */
function explained(error: unknown, env: ListenEnv): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  const where = `port ${env.PORT}${env.LISTEN_HOST ? ` of ${env.LISTEN_HOST}` : ''}`;
  if (code === 'EADDRINUSE')
    return new Error(
      `${where} is already in use (another Deload, or another program, listens there): stop it, or set PORT to a free port, e.g. PORT=${env.PORT + 1}`,
    );
  if (code === 'EACCES') return new Error(`${where} needs privileges this user lacks: set PORT to 1024 or above`);
  if (code === 'EADDRNOTAVAIL')
    return new Error(`${env.LISTEN_HOST} is not an address of this machine: set LISTEN_HOST to one of its addresses, or leave it unset`);
  return error;
}

/**
 * Fails at once, before connecting to PostgreSQL and Redis, when the api could not listen on
 * PORT (taken by another program, or privileged): a person learns it in a second, not after start-up.
 */
export async function ensureCanListen(env: ListenEnv): Promise<void> {
  const probe = createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.listen(env.PORT, env.LISTEN_HOST, resolve);
    });
  } catch (error) {
    throw explained(error, env);
  }
  await new Promise((resolve) => probe.close(resolve));
}

/** Listens on PORT (and LISTEN_HOST), explaining a failure as ensureCanListen does (the port may be taken in between). */
export async function listen(app: NestExpressApplication, env: ListenEnv): Promise<void> {
  try {
    if (env.LISTEN_HOST) await app.listen(env.PORT, env.LISTEN_HOST);
    else await app.listen(env.PORT);
  } catch (error) {
    throw explained(error, env);
  }
}
