import { Env } from './env.schema';

/**
 * The validated configuration, injectable anywhere (`constructor(private readonly config: AppConfig)`).
 * Built once at boot by ConfigModule; never read process.env elsewhere.
 */
export class AppConfig {
  readonly env: Env;

  constructor(env: Env) {
    this.env = Object.freeze({ ...env });
  }

  get isProduction(): boolean {
    return this.env.NODE_ENV === 'production';
  }

  get maxUploadBytes(): number {
    return Math.floor(this.env.MAX_UPLOAD_MB * 1024 * 1024);
  }

  /** PUBLIC_URL joined with a path, for links in emails and redirects. */
  publicUrl(path = '/'): string {
    return new URL(path, this.env.PUBLIC_URL.endsWith('/') ? this.env.PUBLIC_URL : `${this.env.PUBLIC_URL}/`).toString();
  }
}
