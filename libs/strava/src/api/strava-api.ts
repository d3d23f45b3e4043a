import { Injectable } from '@nestjs/common';
import strava, { RequestHandler, RequestOptions, StravaClientInstance } from 'strava-v3';
import { z } from 'zod';
import { AppConfig } from '@deload/config';
import type { StravaConnectionEntity } from '@deload/persistence';
import { StravaConnections } from '../connections/strava-connections.service';
import { RatePermit, StravaPriority, StravaRateLimiter } from '../rate-limit/strava-rate-limiter';
import { parseResponse } from './parse-response';
import {
  athleteSchema,
  detailedActivitySchema,
  detailedGearSchema,
  StravaAthlete,
  StravaDetailedActivity,
  StravaDetailedGear,
  StravaSummaryActivity,
  summaryActivitySchema,
} from './strava-schemas';
import { StravaApiError, StravaNotFoundError, StravaUnauthorizedError, StravaUnreachableError } from './strava-errors';

const TIMEOUT_MS = 20_000;

export interface ActivityPage {
  /** Epoch seconds: only activities that started after it. */
  after: number;
  page: number;
  perPage: number;
}

/**
 * Strava's API for one connection, through strava-v3 with our own request function (its supported
 * hook) so the base URL is STRAVA_API_URL and every call passes the shared rate limiter: a slot is
 * taken before the call, each response's headers correct the count, a 429 delays the job to the
 * next window. A token is refreshed only once the call has its slot and only when it expires within
 * the margin (StravaConnections); a rejected token is refreshed once and the call repeated.
 */
@Injectable()
export class StravaApi {
  constructor(
    private readonly config: AppConfig,
    private readonly limiter: StravaRateLimiter,
    private readonly connections: StravaConnections,
  ) {}

  async activity(connection: StravaConnectionEntity, id: string, priority: StravaPriority): Promise<StravaDetailedActivity> {
    const body = await this.call(connection, priority, (client) => client.activities.get({ id }));
    return parseResponse(detailedActivitySchema, body, `/activities/${id}`);
  }

  async activities(connection: StravaConnectionEntity, page: ActivityPage, priority: StravaPriority): Promise<StravaSummaryActivity[]> {
    const body = await this.call(connection, priority, (client) =>
      client.athlete.listActivities({ after: page.after, page: page.page, per_page: page.perPage }),
    );
    return parseResponse(z.array(summaryActivitySchema), body, '/athlete/activities');
  }

  async athlete(connection: StravaConnectionEntity, priority: StravaPriority): Promise<StravaAthlete> {
    const body = await this.call(connection, priority, (client) => client.athlete.get({}));
    return parseResponse(athleteSchema, body, '/athlete');
  }

  async gear(connection: StravaConnectionEntity, gearId: string, priority: StravaPriority): Promise<StravaDetailedGear> {
    const body = await this.call(connection, priority, (client) => client.gear.get({ id: gearId }));
    return parseResponse(detailedGearSchema, body, `/gear/${gearId}`);
  }

  private async call(
    connection: StravaConnectionEntity,
    priority: StravaPriority,
    request: (client: StravaClientInstance) => Promise<unknown>,
  ): Promise<unknown> {
    // The budget first: work the planner sends back must not have refreshed a token it cannot use.
    const permit = await this.limiter.acquire(priority);
    let token = await this.connections.accessToken(connection);
    try {
      return await request(this.client(token, permit));
    } catch (error) {
      if (!(error instanceof StravaUnauthorizedError)) throw error;
      token = await this.connections.refreshAfterRejection(connection, token);
      return request(this.client(token, await this.limiter.acquire(priority)));
    }
  }

  private client(token: string, permit: RatePermit): StravaClientInstance {
    return new strava.client(token, this.requestFunction(permit));
  }

  /** strava-v3's request hook: fetch against STRAVA_API_URL; returns the raw text for the library's big-number-safe JSON parser. */
  private requestFunction(permit: RatePermit): RequestHandler {
    return async (options: RequestOptions) => {
      const url = new URL(options.url, `${this.config.env.STRAVA_API_URL.replace(/\/+$/, '')}/`);
      const response = await this.fetch(url, options);
      const headers = Object.fromEntries(response.headers);
      const body = await response.text();
      if (response.status === 429) throw await this.limiter.refused(permit, headers);
      await this.limiter.record(permit, headers);
      if (!response.ok) throw httpError(response.status, url.pathname, body);
      return { headers, body };
    };
  }

  private async fetch(url: URL, options: RequestOptions): Promise<Response> {
    const headers = Object.fromEntries(
      Object.entries(options.headers ?? {}).filter((entry): entry is [string, string] => entry[1] != null),
    );
    try {
      return await fetch(url, {
        method: options.method ?? 'GET',
        headers: { accept: 'application/json', ...headers },
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      throw new StravaUnreachableError(url.pathname, error);
    }
  }
}

function httpError(status: number, path: string, body: string): StravaApiError {
  const detail = body.slice(0, 200);
  if (status === 401) return new StravaUnauthorizedError(status, path, detail);
  if (status === 404) return new StravaNotFoundError(status, path, detail);
  return new StravaApiError(status, path, detail);
}
