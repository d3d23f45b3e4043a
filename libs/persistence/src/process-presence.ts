import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AppConfig } from '@deload/config';

const RECONNECT_MS = 2_000;
/** PostgreSQL keeps the first 63 bytes of an application_name. */
const MAX_NAME = 63;

/**
 * Tells whether a process that claimed some work (an email send, a file of the import folder) is
 * still alive, so its claim can be taken over at once when it is not — without waiting out a
 * timeout. Each process that claims work holds one PostgreSQL connection named after its id
 * (`application_name`); PostgreSQL drops it the moment the process dies (its socket closes), so
 * `isAlive(id)` is a look at pg_stat_activity. A host that vanishes without closing its sockets
 * is caught by the claim's own age limit instead.
 */
@Injectable()
export class ProcessPresence implements OnApplicationShutdown {
  private readonly logger = new Logger(ProcessPresence.name);
  readonly id = `deload-${hostname()}-${process.pid}-${randomBytes(4).toString('hex')}`.slice(0, MAX_NAME);
  private client?: Client;
  private connecting?: Promise<void>;
  private stopped = false;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** Makes this process visible (once); call before claiming work. Returns the id to record on the claim. */
  async register(): Promise<string> {
    if (!this.client && !this.stopped) await (this.connecting ??= this.connect());
    return this.id;
  }

  async isAlive(processId: string): Promise<boolean> {
    const [row] = await this.dataSource.query(`SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name = $1) AS alive`, [
      processId.slice(0, MAX_NAME),
    ]);
    return row.alive === true;
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new Client({
      connectionString: this.config.env.DATABASE_URL,
      application_name: this.id,
      connectionTimeoutMillis: 5_000,
    });
    client.on('error', () => undefined);
    client.on('end', () => {
      if (this.client !== client) return;
      this.client = undefined;
      this.reconnectLater();
    });
    try {
      await client.connect();
      this.client = client;
    } catch (error) {
      this.logger.warn(`could not register process ${this.id} with PostgreSQL: ${(error as Error).message}; retrying`);
      this.reconnectLater();
      throw error;
    } finally {
      this.connecting = undefined;
    }
  }

  /** The database went away (restart): be visible again as soon as it is back. */
  private reconnectLater(): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (!this.client && !this.stopped) (this.connecting ??= this.connect()).catch(() => undefined);
    }, RECONNECT_MS);
    this.timer.unref();
  }
}
