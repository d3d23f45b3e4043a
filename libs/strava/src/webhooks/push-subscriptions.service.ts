import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { AppConfig } from '@deload/config';
import { DomainError } from '@deload/domain';
import { StravaPushSubscriptionsRepository } from '@deload/persistence';
import { parseResponse } from '../api/parse-response';
import { StravaApiError, StravaUnreachableError } from '../api/strava-errors';
import { pushSubscriptionSchema } from '../api/strava-schemas';
import { StravaOAuthClient } from '../oauth/strava-oauth.client';

export const WEBHOOK_PATH = '/webhooks/strava';

export interface PushSubscriptionInfo {
  id: string;
  callbackUrl: string;
  /** Whether Deload has it on record (webhook events must carry a recorded subscription id). */
  recorded: boolean;
}

/**
 * The app's one push subscription at Strava. Called with our own HTTP requests: strava-v3's
 * pushSubscriptions reads credentials from process-global config and always goes to
 * www.strava.com, not STRAVA_API_URL.
 */
@Injectable()
export class StravaPushSubscriptions {
  constructor(
    private readonly config: AppConfig,
    private readonly oauth: StravaOAuthClient,
    private readonly recorded: StravaPushSubscriptionsRepository,
  ) {}

  callbackUrl(): string {
    return this.config.publicUrl(WEBHOOK_PATH);
  }

  /** Asks Strava to push events to PUBLIC_URL/webhooks/strava; Strava checks the callback before answering. */
  async subscribe(): Promise<PushSubscriptionInfo> {
    const verifyToken = this.config.env.STRAVA_WEBHOOK_VERIFY_TOKEN;
    if (!verifyToken) throw new DomainError('invalid', 'set STRAVA_WEBHOOK_VERIFY_TOKEN (the api must run with the same value)');
    const { clientId, clientSecret } = this.oauth.credentials();
    const form = { client_id: clientId, client_secret: clientSecret, callback_url: this.callbackUrl(), verify_token: verifyToken };
    const response = await this.request('POST', 'push_subscriptions', new URLSearchParams(form));
    const body = await response.text();
    if (response.status === 400 && /already exists/i.test(body)) {
      throw new DomainError('conflict', 'Strava already has a push subscription for this app: see `deload strava:subscriptions`');
    }
    if (response.status >= 400 && response.status < 500) throw new DomainError('invalid', `Strava refused the subscription: ${body}`);
    if (!response.ok) throw new StravaApiError(response.status, '/push_subscriptions', body);
    const { id } = parseResponse(z.object({ id: pushSubscriptionSchema.shape.id }), JSON.parse(body), '/push_subscriptions');
    await this.record(id, this.callbackUrl());
    return { id, callbackUrl: this.callbackUrl(), recorded: true };
  }

  /** Strava's view; a subscription to our callback that we have no record of is adopted. */
  async list(): Promise<PushSubscriptionInfo[]> {
    const { clientId, clientSecret } = this.oauth.credentials();
    const response = await this.request(
      'GET',
      `push_subscriptions?${new URLSearchParams({ client_id: clientId, client_secret: clientSecret })}`,
    );
    const body = await response.text();
    if (!response.ok) throw new StravaApiError(response.status, '/push_subscriptions', body);
    const subscriptions = parseResponse(z.array(pushSubscriptionSchema), JSON.parse(body), '/push_subscriptions');
    const ours = subscriptions.find((subscription) => subscription.callback_url === this.callbackUrl());
    if (ours && !(await this.recorded.isRecorded(Number(ours.id)))) await this.record(ours.id, ours.callback_url);
    const recordedIds = new Set(await this.recordedIds());
    return subscriptions.map((subscription) => ({
      id: subscription.id,
      callbackUrl: subscription.callback_url,
      recorded: recordedIds.has(subscription.id),
    }));
  }

  /** Deletes the subscription at Strava (the given one, else the one on record for our callback) and forgets it. */
  async unsubscribe(id?: string): Promise<string> {
    const ours = await this.recorded.latestFor(this.callbackUrl());
    const target = id ?? String(ours?.id ?? '');
    if (!/^\d+$/.test(target))
      throw new DomainError('invalid', 'no push subscription on record: give its id (see `deload strava:subscriptions`)');
    const { clientId, clientSecret } = this.oauth.credentials();
    const response = await this.request(
      'DELETE',
      `push_subscriptions/${target}?${new URLSearchParams({ client_id: clientId, client_secret: clientSecret })}`,
    );
    if (response.status === 404) throw new DomainError('not_found', `Strava has no push subscription ${target}`);
    if (!response.ok) throw new StravaApiError(response.status, '/push_subscriptions', await response.text());
    await this.recorded.forget(Number(target));
    return target;
  }

  async recordedIds(): Promise<string[]> {
    return (await this.recorded.recordedIds()).map(String);
  }

  private async record(id: string, callbackUrl: string): Promise<void> {
    await this.recorded.record(Number(id), callbackUrl);
  }

  private async request(method: string, path: string, body?: URLSearchParams): Promise<Response> {
    const url = `${this.config.env.STRAVA_API_URL.replace(/\/+$/, '')}/${path}`;
    try {
      // Strava validates the callback while this request waits, so allow more than its 2 s check.
      return await fetch(url, { method, body, headers: { accept: 'application/json' }, signal: AbortSignal.timeout(30_000) });
    } catch (error) {
      throw new StravaUnreachableError('/push_subscriptions', error);
    }
  }
}
