import { Injectable, Logger } from '@nestjs/common';
import { RateLimit, RateLimiter } from '@deload/auth';
import { AppConfig } from '@deload/config';
import { DomainError } from '@deload/domain';

/**
 * How many webhook POSTs one address may send per minute (STRAVA_WEBHOOK_RATE_LIMIT), counted in
 * Redis so every api process shares the count. Past it: DomainError('rate_limited') with
 * `retryAfterS` (429 with Retry-After at the HTTP edge); Strava
 * retries an event it could not deliver. If Redis cannot be asked, the event is let through: the
 * inbox (PostgreSQL) must not lose Strava's events because a counter is away.
 */
@Injectable()
export class WebhookIntakeLimit {
  private readonly logger = new Logger(WebhookIntakeLimit.name);
  private readonly rule: RateLimit;

  constructor(
    private readonly limiter: RateLimiter,
    config: AppConfig,
  ) {
    this.rule = { bucket: 'strava-webhook', limit: config.env.STRAVA_WEBHOOK_RATE_LIMIT, windowS: 60 };
  }

  async admit(source: string): Promise<void> {
    try {
      await this.limiter.hit(this.rule, source);
    } catch (error) {
      if (!(error instanceof DomainError)) {
        this.logger.warn(`webhook rate limit not checked (${(error as Error).message}); event let through`);
        return;
      }
      const retryAfterS = Number(error.details?.retryAfterS ?? this.rule.windowS);
      throw new DomainError('rate_limited', `too many webhook requests from this address: try again in ${retryAfterS} s`, { retryAfterS });
    }
  }
}
