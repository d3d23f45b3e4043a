import { Injectable } from '@nestjs/common';

/**
 * The time Strava work is planned by (token expiry, rate windows, due refreshes): the wall clock.
 * One injectable so the 30-day simulation (bench/strava/thousand-runners.ts) can drive the real
 * services with a simulated clock instead of waiting 30 days.
 */
@Injectable()
export class StravaClock {
  now(): number {
    return Date.now();
  }
}
