import { DEFAULT_SECRET_KEY_FILE, envSchema, Env, PUBLIC_DEVELOPMENT_SECRET_KEY } from './env.schema';
import { readOrCreateSecretKey } from './secret-key-file';

/** Thrown when the environment is invalid; `problems` holds one line per variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type RawEnv = Record<string, string | undefined>;

/** Empty strings count as unset, so `FOO=` in a .env or compose file falls back to the default. */
function withoutEmptyValues(raw: RawEnv): RawEnv {
  return Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== undefined && value !== ''));
}

/** Rules that involve more than one variable (zod skips refinements once a field fails). */
function crossVariableProblems(env: RawEnv): string[] {
  if (env.NODE_ENV !== 'production') return [];
  if (!env.SECRET_KEY)
    return ['SECRET_KEY is required when NODE_ENV=production (e.g. `openssl rand -hex 32`), or SECRET_KEY_FILE to keep a generated one'];
  if (env.SECRET_KEY === PUBLIC_DEVELOPMENT_SECRET_KEY)
    return ['SECRET_KEY is the public development key, which lets anyone forge sign-in links: set your own (`openssl rand -hex 32`)'];
  return [];
}

/**
 * SECRET_KEY wins; else the key in SECRET_KEY_FILE, generated on first start. Outside production
 * the file defaults to ./var/secret.key, so `npm start` and the CLI share one generated key with no
 * setup; production names its key (or file) explicitly, so every instance uses the same one.
 */
function withSecretKeyFromFile(env: RawEnv, problems: string[]): RawEnv {
  if (env.SECRET_KEY) return env;
  const file = env.SECRET_KEY_FILE ?? (env.NODE_ENV === 'production' ? undefined : DEFAULT_SECRET_KEY_FILE);
  if (!file) return env;
  try {
    return { ...env, SECRET_KEY: readOrCreateSecretKey(file) };
  } catch (error) {
    problems.push(`SECRET_KEY_FILE cannot be read or created (${file}: ${(error as Error).message})`);
    return env;
  }
}

/** A URL's password replaced by ***, so a problem line never shows it; other values unchanged. */
function withoutPassword(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/]*:)[^@/]*@/i, '$1***@');
}

export function loadConfig(raw: RawEnv = process.env): Env {
  const fileProblems: string[] = [];
  const env = withSecretKeyFromFile(withoutEmptyValues(raw), fileProblems);
  const result = envSchema.safeParse(env);
  const problems = result.success
    ? []
    : result.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? 'environment');
        const got = env[name];
        const shown = got === undefined || /SECRET|TOKEN|KEY|PASSWORD/.test(name) ? '' : ` (got "${withoutPassword(got)}")`;
        return `${name} ${issue.message}${shown}`;
      });
  problems.push(...fileProblems, ...(fileProblems.length ? [] : crossVariableProblems(env)));
  if (problems.length || !result.success) throw new ConfigError(problems);
  return result.data;
}

/**
 * For entry points: load the configuration or print one line per problem and exit 1.
 * No stack trace: the operator needs the variable name, not our call stack.
 */
export function loadConfigOrExit(raw: RawEnv = process.env): Env {
  try {
    return loadConfig(raw);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Deload cannot start: invalid configuration\n${error.problems.map((p) => `  ${p}\n`).join('')}`);
      process.exit(1);
    }
    throw error;
  }
}
