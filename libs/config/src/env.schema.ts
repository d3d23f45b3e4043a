import { z } from 'zod';

import { isIP } from 'node:net';

/**
 * The key earlier versions used when SECRET_KEY was unset. It is public (it is in this file), so
 * whoever knows it can forge sign-in links: the api refuses it unless it listens on loopback only.
 */
export const PUBLIC_DEVELOPMENT_SECRET_KEY = 'development-only-secret-key-do-not-use-in-production';

/** Where a generated key is kept when neither SECRET_KEY nor SECRET_KEY_FILE is set (outside production). */
export const DEFAULT_SECRET_KEY_FILE = './var/secret.key';

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/** An IP address, an IP/CIDR subnet, or one of proxy-addr's names (loopback, linklocal, uniquelocal). */
function isProxyAddress(value: string): boolean {
  if (PROXY_NAMES.includes(value)) return true;
  const [address, bits, ...rest] = value.split('/');
  const version = isIP(address);
  if (!version || rest.length) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128);
}

/**
 * Which hops in front of the api may name the client in X-Forwarded-For: a number of proxies, or
 * their addresses. Never "every address": then any client could pick the IP the rate limits see.
 */
const trustProxy = z.string().transform((value, context): number | string[] => {
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed) && Number(trimmed) >= 1 && Number(trimmed) <= 10) return Number(trimmed);
  const addresses = trimmed.split(',').map((part) => part.trim());
  if (addresses.every(isProxyAddress)) return addresses;
  context.addIssue({
    code: 'custom',
    message:
      'must name the proxies in front of the api: their addresses or subnets (e.g. 10.0.0.5 or 172.16.0.0/12, comma-separated; loopback, uniquelocal), or their number (1–10)',
  });
  return z.NEVER;
});

const listenHost = z
  .string()
  .refine((value) => isIP(value) !== 0 || /^[A-Za-z0-9.-]+$/.test(value), { error: 'must be an IP address or a host name' });

const booleanFromString = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const port = z.coerce
  .number({ error: 'must be a whole number' })
  .int('must be a whole number')
  .min(1, 'must be between 1 and 65535')
  .max(65535, 'must be between 1 and 65535');

function urlWithProtocols(protocols: string[]) {
  return z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { error: `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}` },
  );
}

/** True unless the URL parses and names no database (`postgres://host:5432` or `…:5432/`); a bad URL is reported once, by its protocol check. */
function namesDatabase(value: string): boolean {
  try {
    return new URL(value).pathname.replace(/^\//, '') !== '';
  } catch {
    return true;
  }
}

/** Every environment variable Deload reads, with its default (DESIGN.md → Contracts → Configuration). */
export const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production'], { error: 'must be development, test or production' }).default('development'),
    DATABASE_URL: urlWithProtocols(['postgres:', 'postgresql:'])
      .refine(namesDatabase, { error: 'must name a database after the port, e.g. postgres://postgres@127.0.0.1:5432/deload' })
      .default('postgres://postgres@127.0.0.1:5432/deload'),
    DATABASE_CONNECT_RETRIES: z.coerce
      .number({ error: 'must be a whole number' })
      .int('must be a whole number')
      .min(0, 'must be 0 or more')
      .default(10),
    REDIS_URL: urlWithProtocols(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
    REDIS_KEY_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/, 'may only contain letters, digits, _ and -')
      .default('deload'),
    PORT: port.default(3000),
    /** Address the api listens on; unset: every interface. */
    LISTEN_HOST: listenHost.optional(),
    TRUST_PROXY: trustProxy.optional(),
    PUBLIC_URL: urlWithProtocols(['http:', 'https:']).default('http://localhost:3000'),
    SECRET_KEY: z.string().min(32, 'must be at least 32 characters (e.g. `openssl rand -hex 32`)').optional(),
    /** Where to keep a generated key when SECRET_KEY is unset (created on first start). */
    SECRET_KEY_FILE: z.string().min(1).optional(),
    SMTP_URL: urlWithProtocols(['smtp:', 'smtps:']).optional(),
    OUTBOX_DIR: z.string().min(1).default('./var/outbox'),
    MAIL_FROM: z.string().min(3).default('Deload <deload@localhost>'),
    PAIN_CHECKIN_DELAY_MIN: z.coerce
      .number({ error: 'must be a whole number of minutes' })
      .int('must be a whole number of minutes')
      .min(0, 'must be 0 or more')
      .max(24 * 60, 'must be at most 1440 (a day)')
      .default(30),
    STRAVA_CLIENT_ID: z.string().regex(/^\d+$/, 'must be the numeric client id of your Strava API application').optional(),
    STRAVA_CLIENT_SECRET: z.string().min(1).optional(),
    STRAVA_WEBHOOK_VERIFY_TOKEN: z.string().min(8, 'must be at least 8 characters').optional(),
    STRAVA_API_URL: urlWithProtocols(['http:', 'https:']).default('https://www.strava.com/api/v3'),
    STRAVA_OAUTH_URL: urlWithProtocols(['http:', 'https:']).default('https://www.strava.com/oauth'),
    STRAVA_COACH_SHARING: booleanFromString.default(false),
    /** Webhook POSTs accepted per minute from one address; more answer 429 (Strava retries them). */
    STRAVA_WEBHOOK_RATE_LIMIT: z.coerce
      .number({ error: 'must be a whole number of requests per minute' })
      .int('must be a whole number of requests per minute')
      .min(1, 'must be at least 1')
      .default(1200),
    /** Strava reads per quarter hour for this app (Strava's default 100); until a response's headers say otherwise. */
    STRAVA_READ_LIMIT_15MIN: z.coerce
      .number({ error: 'must be a whole number of requests' })
      .int('must be a whole number of requests')
      .min(1, 'must be at least 1')
      .default(100),
    /** Strava reads per UTC day for this app (Strava's default 1,000); until a response's headers say otherwise. */
    STRAVA_READ_LIMIT_DAILY: z.coerce
      .number({ error: 'must be a whole number of requests' })
      .int('must be a whole number of requests')
      .min(1, 'must be at least 1')
      .default(1000),
    MAX_UPLOAD_MB: z.coerce
      .number({ error: 'must be a number of megabytes' })
      .positive('must be a positive number of megabytes')
      .max(2048, 'must be at most 2048')
      .default(50),
    IMPORT_DIR: z.string().min(1).optional(),
    SPOOL_DIR: z.string().min(1).default('./var/spool'),
    /** How many api processes serve PORT (node:cluster); 1: the api is one process, no primary. */
    API_PROCESSES: z.coerce
      .number({ error: 'must be a whole number of processes' })
      .int('must be a whole number of processes')
      .min(1, 'must be at least 1')
      .max(64, 'must be at most 64')
      .default(1),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
        error: 'must be one of fatal, error, warn, info, debug, trace, silent',
      })
      .default('info'),
    /** Unset: pretty at a terminal, JSON otherwise (see chooseLogFormat in libs/logging). */
    LOG_FORMAT: z.enum(['pretty', 'json'], { error: 'must be pretty or json (unset: pretty at a terminal, json otherwise)' }).optional(),
  })
  .transform(({ SECRET_KEY, ...env }) => ({
    ...env,
    // loadConfig fills SECRET_KEY from SECRET_KEY_FILE (or the default file) before validating.
    SECRET_KEY: SECRET_KEY ?? '',
    usingDevelopmentSecretKey: SECRET_KEY === PUBLIC_DEVELOPMENT_SECRET_KEY,
  }));

export type Env = z.output<typeof envSchema>;
