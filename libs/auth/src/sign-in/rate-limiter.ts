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
    const { count, remainingMs } = await this.count(rule, subject, 1);
    if (count > rule.limit) {
      const minutes = Math.max(1, Math.ceil(remainingMs / 60_000));
      throw new DomainError('rate_limited', `too many attempts: try again in ${minutes} minute${minutes === 1 ? '' : 's'}`, {
        retryAfterS: Math.ceil(remainingMs / 1000),
      });
    }
  }

  /** Counts `attempts` at once (one round trip): the window's count after them, and the time left in the window. */
  async count(rule: RateLimit, subject: string, attempts: number): Promise<{ count: number; remainingMs: number }> {
    const key = this.redis.key('rate', rule.bucket, createHash('sha256').update(subject).digest('hex').slice(0, 32));
    const results = await this.redis.redis.multi().set(key, 0, 'EX', rule.windowS, 'NX').incrby(key, attempts).pttl(key).exec();
    return { count: Number(results?.[1]?.[1] ?? 0), remainingMs: Number(results?.[2]?.[1] ?? rule.windowS * 1000) };
  }
}
