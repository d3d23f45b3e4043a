/** Strava answered with a status Deload does not expect (5xx, 403…): worth retrying later. */
export class StravaApiError extends Error {
  constructor(
    readonly status: number,
    readonly path: string,
    detail: string,
  ) {
    super(`Strava ${path} answered ${status}: ${detail}`.slice(0, 500));
    this.name = 'StravaApiError';
  }
}

/** The activity or gear is gone (deleted, or no longer visible to us). */
export class StravaNotFoundError extends StravaApiError {
  override name = 'StravaNotFoundError';
}

/** The access token was refused (expired early, or the athlete revoked access). */
export class StravaUnauthorizedError extends StravaApiError {
  override name = 'StravaUnauthorizedError';
}

/** Strava could not be reached, or took too long. */
export class StravaUnreachableError extends Error {
  constructor(path: string, cause: unknown) {
    super(`Strava ${path} could not be reached: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'StravaUnreachableError';
  }
}

/**
 * Strava refused our refresh token or code: the athlete has to connect again. Retrying cannot help.
 * `grantRevoked` is true only when what was refused is the athlete's grant itself (Strava names the
 * refresh token or code as invalid, or the connection is gone): the proof a deauthorization needs.
 * A refusal of our client credentials (a misconfiguration) is not.
 */
export class StravaAccessRevokedError extends Error {
  constructor(
    detail: string,
    readonly grantRevoked = false,
  ) {
    super(`Strava refused the authorization: ${detail}`.slice(0, 500));
    this.name = 'StravaAccessRevokedError';
  }
}

/** A response that does not look like Strava's schema. */
export class StravaResponseError extends Error {
  constructor(path: string, problem: string) {
    super(`unexpected response from Strava ${path}: ${problem}`.slice(0, 500));
    this.name = 'StravaResponseError';
  }
}
