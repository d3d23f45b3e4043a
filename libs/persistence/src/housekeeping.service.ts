import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** How long a handled webhook event stays in the inbox (for inspection) before it is deleted. */
export const WEBHOOK_EVENT_RETENTION_DAYS = 30;

export interface HousekeepingResult {
  sessions: number;
  consumedTokens: number;
  webhookEvents: number;
}

/**
 * Deletes rows whose purpose has passed: expired sessions, used one-time links that would have
 * expired anyway, and handled webhook events older than the retention. Never touches anything
 * still pending (a pending or failed webhook event stays until it is handled).
 */
@Injectable()
export class HousekeepingService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async prune(now = new Date()): Promise<HousekeepingResult> {
    const sessions = await this.deleteWhere(`DELETE FROM sessions WHERE expires_at < $1`, [now]);
    const consumedTokens = await this.deleteWhere(`DELETE FROM consumed_tokens WHERE expires_at < $1`, [now]);
    const webhookEvents = await this.deleteWhere(
      `DELETE FROM webhook_events WHERE status IN ('processed', 'ignored') AND received_at < $1::timestamptz - make_interval(days => $2)`,
      [now, WEBHOOK_EVENT_RETENTION_DAYS],
    );
    return { sessions, consumedTokens, webhookEvents };
  }

  private async deleteWhere(sql: string, parameters: unknown[]): Promise<number> {
    const [, affected] = await this.dataSource.query(sql, parameters);
    return affected ?? 0;
  }
}
