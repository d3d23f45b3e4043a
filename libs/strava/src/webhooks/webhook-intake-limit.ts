import { Injectable, Logger } from '@nestjs/common';
import { RateLimit, RateLimiter } from '@deload/auth';
import { AppConfig } from '@deload/config';
import { DomainError } from '@deload/domain';
import { WEBHOOK_BATCH_WINDOW_MS } from './strava-webhook-inbox.service';

interface Waiting {
  admit(): void;
  refuse(error: DomainError): void;
}

/**
 * How many webhook POSTs one address may send per minute (STRAVA_WEBHOOK_RATE_LIMIT), counted in
 * Redis so every api process shares the count. Past it: DomainError('rate_limited') with
 * `retryAfterS` (429 with Retry-After at the HTTP edge); Strava
 * retries an event it could not deliver. If Redis cannot be asked, the event is let through: the
 * inbox (PostgreSQL) must not lose Strava's events because a counter is away.
 *
 * Under load, the POSTs of one address that arrive in the same turn of the event loop are counted
 * with one round trip (INCRBY their number); they are admitted in arrival order up to the limit, as
 * if counted one by one.
 */
@Injectable()
export class WebhookIntakeLimit {
  private readonly logger = new Logger(WebhookIntakeLimit.name);
  private readonly rule: RateLimit;
  private waiting = new Map<string, Waiting[]>();
  private flushScheduled = false;

  constructor(
    private readonly limiter: RateLimiter,
    config: AppConfig,
  ) {
    this.rule = { bucket: 'strava-webhook', limit: config.env.STRAVA_WEBHOOK_RATE_LIMIT, windowS: 60 };
  }

  admit(source: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const waiting = this.waiting.get(source);
      if (waiting) waiting.push({ admit: resolve, refuse: reject });
      else this.waiting.set(source, [{ admit: resolve, refuse: reject }]);
      if (this.flushScheduled) return;
      this.flushScheduled = true;
      setTimeout(() => this.flush(), WEBHOOK_BATCH_WINDOW_MS);
    });
  }

  private flush(): void {
    const batch = this.waiting;
    this.waiting = new Map();
    this.flushScheduled = false;
    for (const [source, waiting] of batch) void this.count(source, waiting);
  }

  private async count(source: string, waiting: Waiting[]): Promise<void> {
    let counted: { count: number; remainingMs: number };
    try {
      counted = await this.limiter.count(this.rule, source, waiting.length);
    } catch (error) {
      this.logger.warn(`webhook rate limit not checked (${(error as Error).message}); ${waiting.length} events let through`);
      for (const request of waiting) request.admit();
      return;
    }
    const firstPosition = counted.count - waiting.length + 1;
    const retryAfterS = Math.ceil(counted.remainingMs / 1000) || this.rule.windowS;
    waiting.forEach((request, index) => {
      if (firstPosition + index <= this.rule.limit) return request.admit();
      request.refuse(
        new DomainError('rate_limited', `too many webhook requests from this address: try again in ${retryAfterS} s`, { retryAfterS }),
      );
    });
  }
}
