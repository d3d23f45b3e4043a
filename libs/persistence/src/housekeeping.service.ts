import { Injectable } from '@nestjs/common';
import { ConsumedTokensRepository } from './repositories/consumed-tokens.repository';
import { SessionsRepository } from './repositories/sessions.repository';
import { UploadsRepository } from './repositories/uploads.repository';
import { WebhookEventsRepository } from './repositories/webhook-events.repository';

/** How long a handled webhook event stays in the inbox (for inspection) before it is deleted. */
export const WEBHOOK_EVENT_RETENTION_DAYS = 30;
/** How long a finished upload's results stay for GET /api/imports/:id (a failed one's bytes with them). */
export const UPLOAD_RETENTION_DAYS = 30;

export interface HousekeepingResult {
  sessions: number;
  consumedTokens: number;
  webhookEvents: number;
  uploads: number;
}

/**
 * Deletes rows whose purpose has passed: expired sessions, used one-time links that would have
 * expired anyway, handled webhook events and finished uploads older than their retention. Never touches anything
 * still pending (a pending or failed webhook event stays until it is handled).
 */
@Injectable()
export class HousekeepingService {
  constructor(
    private readonly sessions: SessionsRepository,
    private readonly consumedTokens: ConsumedTokensRepository,
    private readonly webhookEvents: WebhookEventsRepository,
    private readonly uploads: UploadsRepository,
  ) {}

  async prune(now = new Date()): Promise<HousekeepingResult> {
    const sessions = await this.sessions.deleteExpired(now);
    const consumedTokens = await this.consumedTokens.deleteExpired(now);
    const webhookEvents = await this.webhookEvents.deleteHandledBefore(now, WEBHOOK_EVENT_RETENTION_DAYS);
    const uploads = await this.uploads.deleteFinishedBefore(now, UPLOAD_RETENTION_DAYS);
    return { sessions, consumedTokens, webhookEvents, uploads };
  }
}
