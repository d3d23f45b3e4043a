import { Module } from '@nestjs/common';
import { EmailChanges } from '../email-address/email-changes.service';
import { MagicLinks } from './magic-links.service';
import { RateLimiter } from './rate-limiter';

/** Magic-link sign-in and email address changes (api only): needs the global AuthModule, Mailer and RedisClient. */
@Module({ providers: [MagicLinks, RateLimiter, EmailChanges], exports: [MagicLinks, RateLimiter, EmailChanges] })
export class SignInModule {}
