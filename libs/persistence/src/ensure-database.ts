import { Client } from 'pg';

const DUPLICATE_DATABASE = '42P04';
const INVALID_CATALOG_NAME = '3D000';

function databaseName(databaseUrl: string): string {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.replace(/^\//, ''));
  if (!name) throw new Error(`DATABASE_URL names no database (expected …/deload): ${redactUrl(databaseUrl)}`);
  return name;
}

export function redactUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

function maintenanceUrl(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  url.pathname = '/postgres';
  return url.toString();
}

async function databaseExists(databaseUrl: string): Promise<boolean> {
  const client = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === INVALID_CATALOG_NAME) return false;
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Creates the database named in DATABASE_URL when it is missing, so a fresh machine needs no
 * manual `createdb`. If the role may not create databases, the error says what to run instead.
 */
export async function ensureDatabase(databaseUrl: string): Promise<'existed' | 'created'> {
  const name = databaseName(databaseUrl);
  if (await databaseExists(databaseUrl)) return 'existed';
  const client = new Client({ connectionString: maintenanceUrl(databaseUrl), connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
    return 'created';
  } catch (error) {
    if ((error as { code?: string }).code === DUPLICATE_DATABASE) return 'existed';
    const url = new URL(databaseUrl);
    throw new Error(
      `Database "${name}" does not exist and could not be created (${(error as Error).message}). ` +
        `Create it with: createdb -h ${url.hostname} -p ${url.port || 5432} -U ${url.username || 'postgres'} ${name}`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function dropDatabase(databaseUrl: string): Promise<void> {
  const client = new Client({ connectionString: maintenanceUrl(databaseUrl) });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${databaseName(databaseUrl).replace(/"/g, '""')}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
