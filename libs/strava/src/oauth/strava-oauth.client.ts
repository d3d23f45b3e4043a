import { Injectable } from '@nestjs/common';
import { AppConfig } from '@deload/config';
import { DomainError } from '@deload/domain';
import { parseResponse } from '../api/parse-response';
import { StravaTokenResponse, tokenResponseSchema } from '../api/strava-schemas';
import { StravaAccessRevokedError, StravaApiError, StravaUnreachableError } from '../api/strava-errors';

/** What Deload asks a runner to grant: every activity (also "only me") and the profile with shoes. */
export const REQUIRED_SCOPES = ['activity:read_all', 'profile:read_all'] as const;

const TIMEOUT_MS = 15_000;

export interface StravaCredentials {
  clientId: string;
  clientSecret: string;
}

/**
 * Strava's OAuth endpoints under STRAVA_OAUTH_URL, called directly: strava-v3's oauth helpers
 * hard-code www.strava.com. Tokens are never logged.
 */
@Injectable()
export class StravaOAuthClient {
  constructor(private readonly config: AppConfig) {}

  /** Client id and secret, or a clear "not set up" error (a 503 at the HTTP edge, a message in the CLI). */
  credentials(): StravaCredentials {
    const { STRAVA_CLIENT_ID: clientId, STRAVA_CLIENT_SECRET: clientSecret } = this.config.env;
    if (!clientId || !clientSecret) {
      throw new DomainError('invalid', 'Strava is not set up on this server: set STRAVA_CLIENT_ID and STRAVA_CLIENT_SECRET', {
        reason: 'strava_not_configured',
      });
    }
    return { clientId, clientSecret };
  }

  authorizeUrl(redirectUri: string, state: string): string {
    const url = new URL(this.endpoint('authorize'));
    url.search = new URLSearchParams({
      client_id: this.credentials().clientId,
      redirect_uri: redirectUri,
      response_type: 'code',
      approval_prompt: 'auto',
      scope: REQUIRED_SCOPES.join(','),
      state,
    }).toString();
    return url.toString();
  }

  async exchangeCode(code: string): Promise<StravaTokenResponse> {
    return this.tokenRequest({ grant_type: 'authorization_code', code });
  }

  /** Strava may rotate the refresh token: the caller must store the one returned. */
  async refresh(refreshToken: string): Promise<StravaTokenResponse> {
    return this.tokenRequest({ grant_type: 'refresh_token', refresh_token: refreshToken });
  }

  /** Revokes every token of the athlete for this app. An already revoked token counts as done. */
  async deauthorize(accessToken: string): Promise<void> {
    const response = await this.post('deauthorize', { access_token: accessToken });
    if (response.ok || response.status === 401) return;
    throw new StravaApiError(response.status, '/oauth/deauthorize', await response.text());
  }

  private async tokenRequest(grant: Record<string, string>): Promise<StravaTokenResponse> {
    const { clientId, clientSecret } = this.credentials();
    const response = await this.post('token', { client_id: clientId, client_secret: clientSecret, ...grant });
    const text = await response.text();
    if (response.status >= 400 && response.status < 500) {
      throw new StravaAccessRevokedError(`${response.status} ${text}`, refusesGrant(parseJson(text)));
    }
    if (!response.ok) throw new StravaApiError(response.status, '/oauth/token', text);
    return parseResponse(tokenResponseSchema, parseJson(text), '/oauth/token');
  }

  private async post(path: string, form: Record<string, string>): Promise<Response> {
    try {
      return await fetch(this.endpoint(path), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams(form),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      throw new StravaUnreachableError(`/oauth/${path}`, error);
    }
  }

  private endpoint(path: string): string {
    return `${this.config.env.STRAVA_OAUTH_URL.replace(/\/+$/, '')}/${path}`;
  }
}

/** Strava's fault list names what it refused: the refresh token or code (the athlete's grant), or our Application. */
function refusesGrant(body: unknown): boolean {
  const errors = (body as { errors?: { resource?: unknown }[] } | null)?.errors;
  return Array.isArray(errors) && errors.some((error) => error?.resource === 'RefreshToken' || error?.resource === 'AuthorizationCode');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
