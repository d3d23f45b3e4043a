import { Injectable } from '@nestjs/common';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { localPath, SingleUseTokens } from '@deload/auth';
import { UsersService } from '@deload/users';
import { AppConfig } from '@deload/config';
import { DomainError, forbidden, invalid, isPlaceholderEmail } from '@deload/domain';
import type { UserEntity } from '@deload/persistence';
import { MergePreview, StravaAccountMerge } from '../accounts/strava-account-merge.service';
import { StravaAccessRevokedError } from '../api/strava-errors';
import { StravaConnections } from '../connections/strava-connections.service';
import { BACKFILL_DAYS } from '../sync/backfill-window';
import { REQUIRED_SCOPES, StravaOAuthClient } from './strava-oauth.client';

const STATE_PURPOSE = 'strava-oauth';
const STATE_TTL_S = 10 * 60;
/** Days of history read when a runner connects. */
export const CALLBACK_PATH = '/auth/strava/callback';

/**
 * connected — `signIn` when nobody was signed in (the caller starts a session); `next`: where to go
 * afterwards (a path on this site given to start()). merge-offered — the signed-in account (with
 * an email address) connected an athlete whose account has none: the runner may merge them.
 */
export type ConnectOutcome =
  | { kind: 'connected'; userId: string; newConnection: boolean; signIn: boolean; next?: string }
  | { kind: 'merge-offered'; preview: MergePreview }
  | { kind: 'declined' }
  | { kind: 'missing-scopes'; missing: string[] };

interface OAuthState {
  nonce: string;
  next?: string;
}

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
    private readonly merges: StravaAccountMerge,
  ) {}

  /** Where to send the browser, and the nonce to put in its cookie; `next` is a path on this site to return to. */
  start(next?: unknown): { authorizeUrl: string; nonce: string; ttlSeconds: number } {
    const nonce = randomBytes(18).toString('base64url');
    const path = next === undefined ? undefined : localPath(next);
    const state = this.tokens.issue<OAuthState>(STATE_PURPOSE, { nonce, ...(path && path !== '/' ? { next: path } : {}) }, STATE_TTL_S);
    return { authorizeUrl: this.oauth.authorizeUrl(this.config.publicUrl(CALLBACK_PATH), state), nonce, ttlSeconds: STATE_TTL_S };
  }

  async finish(query: CallbackQuery, cookieNonce: string | undefined, signedIn?: UserEntity): Promise<ConnectOutcome> {
    const { next } = await this.checkState(query.state, cookieNonce);
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
    const existing = await this.connections.byAthlete(athleteId);
    if (existing && signedIn && signedIn.id !== existing.userId) {
      // Strava just proved the athlete; a session proves the account. Keep the fresh tokens, then ask.
      await this.offerableMerge(existing.userId, signedIn);
      await this.connections.saveGrant(existing.userId, athleteId, granted, grant);
      return { kind: 'merge-offered', preview: await this.merges.offer(existing.userId, signedIn.id) };
    }
    const userId = await this.accountFor(athleteId, signedIn, [grant.athlete.firstname, grant.athlete.lastname]);
    const historySince = Math.floor(Date.now() / 1000) - BACKFILL_DAYS * 86_400;
    const { created } = await this.connections.saveGrant(userId, athleteId, granted, grant, historySince);
    return { kind: 'connected', userId, newConnection: created, signIn: !signedIn, ...(next ? { next } : {}) };
  }

  /** The athlete's account may be merged into the signed-in one; else the 409 saying why not. */
  private async offerableMerge(athleteUserId: string, signedIn: UserEntity): Promise<void> {
    const owner = await this.users.byId(athleteUserId);
    if (!isPlaceholderEmail(owner.email)) {
      throw new DomainError('conflict', 'This Strava account is connected to another Deload account. Sign out first to use that one.');
    }
    const problem = await this.merges.problem(athleteUserId, signedIn.id);
    if (problem)
      throw new DomainError(
        'conflict',
        `This Strava account has a Deload account of its own, which cannot be merged into yours: ${problem}.`,
      );
  }

  private async checkState(state: unknown, cookieNonce: string | undefined): Promise<OAuthState> {
    if (typeof state !== 'string' || !state) throw invalid('the callback has no state: start again from Deload');
    const claims = this.tokens.peek<OAuthState>(STATE_PURPOSE, state);
    const expected = Buffer.from(claims.data.nonce ?? '');
    const given = Buffer.from(cookieNonce ?? '');
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      throw forbidden('this Strava sign-in was started in another browser (or cookies are blocked): start again from Deload');
    }
    await this.tokens.consume(STATE_PURPOSE, state);
    return claims.data;
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
    // Another account's athlete never gets here (finish() offers a merge or refuses).
    const existing = await this.connections.byAthlete(athleteId);
    if (existing) return existing.userId;
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
