import { ValueTransformer } from 'typeorm';

/** PostgreSQL bigint arrives as a string; Strava ids fit in a JS number (< 2^53). */
export const bigintAsNumber: ValueTransformer = {
  to: (value?: number | null) => value,
  from: (value?: string | null) => (value === null || value === undefined ? value : Number(value)),
};
