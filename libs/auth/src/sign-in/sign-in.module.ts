import { Module } from '@nestjs/common';
import { MagicLinks } from './magic-links.service';
import { RateLimiter } from './rate-limiter';

/** Magic-link sign-in (api only): needs the global AuthModule, Mailer and RedisClient. */
@Module({ providers: [MagicLinks, RateLimiter], exports: [MagicLinks, RateLimiter] })
export class SignInModule {}
