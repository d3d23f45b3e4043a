import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DomainError } from '@deload/domain';
import { RedisClient } from '@deload/queue';

export interface RateLimit {
  /** Names the Redis key family, e.g. "sign-in-email". */
  bucket: string;
  limit: number;
  windowS: number;
}

/**
 * Fixed-window counters in Redis, shared by every api process. Subjects (email addresses, IPs) are
 * hashed so the keys hold no personal data.
 */
@Injectable()
export class RateLimiter {
  constructor(private readonly redis: RedisClient) {}

  /** Counts one attempt; throws DomainError('rate_limited') saying when to retry once past the limit. */
  async hit(rule: RateLimit, subject: string): Promise<void> {
    const key = this.redis.key('rate', rule.bucket, createHash('sha256').update(subject).digest('hex').slice(0, 32));
    const results = await this.redis.redis.multi().set(key, 0, 'EX', rule.windowS, 'NX').incr(key).pttl(key).exec();
    const count = Number(results?.[1]?.[1] ?? 0);
    const remainingMs = Number(results?.[2]?.[1] ?? rule.windowS * 1000);
    if (count > rule.limit) {
      const minutes = Math.max(1, Math.ceil(remainingMs / 60_000));
      throw new DomainError('rate_limited', `too many attempts: try again in ${minutes} minute${minutes === 1 ? '' : 's'}`, {
        retryAfterS: Math.ceil(remainingMs / 1000),
      });
    }
  }
}
