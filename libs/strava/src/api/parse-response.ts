import { z } from 'zod';
import { StravaResponseError } from './strava-errors';

/** Validates a Strava response against the schema of what Deload reads. */
export function parseResponse<S extends z.ZodType>(schema: S, body: unknown, path: string): z.output<S> {
  const result = schema.safeParse(body);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new StravaResponseError(path, `${issue.path.join('.') || 'body'}: ${issue.message}`);
  }
  return result.data;
}
