import { Injectable } from '@nestjs/common';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { SingleUseTokens, UsersService } from '@deload/auth';
import { AppConfig } from '@deload/config';
import { DomainError, forbidden, invalid } from '@deload/domain';
import type { UserEntity } from '@deload/persistence';
import { StravaAccessRevokedError } from '../api/strava-errors';
import { StravaConnections } from '../connections/strava-connections.service';
import { REQUIRED_SCOPES, StravaOAuthClient } from './strava-oauth.client';

const STATE_PURPOSE = 'strava-oauth';
const STATE_TTL_S = 10 * 60;
/** Days of history read when a runner connects. */
export const BACKFILL_DAYS = 180;
export const CALLBACK_PATH = '/auth/strava/callback';

export type ConnectOutcome =
  | { kind: 'connected'; userId: string; newConnection: boolean; signIn: boolean }
  | { kind: 'declined' }
  | { kind: 'missing-scopes'; missing: string[] };

export interface CallbackQuery {
  state?: unknown;
  code?: unknown;
  scope?: unknown;
  error?: unknown;
}

/** Placeholder address for an account made by "Connect with Strava" (see isPlaceholderEmail). */
export function stravaPlaceholderEmail(athleteId: string): string {
  return `strava-athlete-${athleteId}@no-email.invalid`;
}

/**
 * "Connect with Strava": the authorize redirect with a signed, single-use, expiring `state` bound
 * to the browser (it carries a nonce that must match an httpOnly cookie), and the callback that
 * checks it, the scopes granted, exchanges the code and creates or links the account.
 */
@Injectable()
export class StravaConnectFlow {
  constructor(
    private readonly config: AppConfig,
    private readonly oauth: StravaOAuthClient,
    private readonly tokens: SingleUseTokens,
    private readonly users: UsersService,
    private readonly connections: StravaConnections,
  ) {}

  /** Where to send the browser, and the nonce to put in its cookie. */
  start(): { authorizeUrl: string; nonce: string; ttlSeconds: number } {
    const nonce = randomBytes(18).toString('base64url');
    const state = this.tokens.issue(STATE_PURPOSE, { nonce }, STATE_TTL_S);
    return { authorizeUrl: this.oauth.authorizeUrl(this.config.publicUrl(CALLBACK_PATH), state), nonce, ttlSeconds: STATE_TTL_S };
  }

  async finish(query: CallbackQuery, cookieNonce: string | undefined, signedIn?: UserEntity): Promise<ConnectOutcome> {
    await this.checkState(query.state, cookieNonce);
    if (query.error !== undefined) {
      if (query.error === 'access_denied') return { kind: 'declined' };
      throw invalid(`Strava reported an error: ${String(query.error).slice(0, 100)}`);
    }
    if (typeof query.code !== 'string' || !query.code) throw invalid('the callback has no authorization code');
    const granted = typeof query.scope === 'string' ? query.scope.split(/[,\s]+/) : [];
    const missing = REQUIRED_SCOPES.filter((scope) => !granted.includes(scope));
    if (missing.length) return { kind: 'missing-scopes', missing };

    const grant = await this.exchange(query.code);
    if (!grant.athlete) throw invalid('Strava did not say which athlete connected');
    const athleteId = grant.athlete.id;
    const userId = await this.accountFor(athleteId, signedIn, [grant.athlete.firstname, grant.athlete.lastname]);
    const historySince = Math.floor(Date.now() / 1000) - BACKFILL_DAYS * 86_400;
    const { created } = await this.connections.saveGrant(userId, athleteId, granted, grant, historySince);
    return { kind: 'connected', userId, newConnection: created, signIn: !signedIn };
  }

  private async checkState(state: unknown, cookieNonce: string | undefined): Promise<void> {
    if (typeof state !== 'string' || !state) throw invalid('the callback has no state: start again from Deload');
    const claims = this.tokens.peek<{ nonce: string }>(STATE_PURPOSE, state);
    const expected = Buffer.from(claims.data.nonce ?? '');
    const given = Buffer.from(cookieNonce ?? '');
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      throw forbidden('this Strava sign-in was started in another browser (or cookies are blocked): start again from Deload');
    }
    await this.tokens.consume(STATE_PURPOSE, state);
  }

  private async exchange(code: string) {
    try {
      return await this.oauth.exchangeCode(code);
    } catch (error) {
      if (error instanceof StravaAccessRevokedError)
        throw invalid('Strava did not accept this sign-in (the link may be used or expired): start again');
      throw error;
    }
  }

  /** The signed-in user, the account already linked to this athlete, or a new account. */
  private async accountFor(athleteId: string, signedIn: UserEntity | undefined, names: (string | undefined)[]): Promise<string> {
    const existing = await this.connections.byAthlete(athleteId);
    if (existing) {
      if (signedIn && signedIn.id !== existing.userId) {
        throw new DomainError('conflict', 'This Strava account is connected to another Deload account. Sign out first to use that one.');
      }
      return existing.userId;
    }
    if (signedIn) {
      if (await this.connections.byUser(signedIn.id)) {
        throw new DomainError('conflict', 'Your Deload account is connected to another Strava account. Disconnect it first.');
      }
      return signedIn.id;
    }
    const displayName = names.filter(Boolean).join(' ') || undefined;
    return (await this.users.findOrCreate(stravaPlaceholderEmail(athleteId), { displayName })).id;
  }
}
