/**
 * Log paths whose values are replaced by "[redacted]". Tokens, cookies, secrets and one-time
 * links must never reach a log line.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'req.query.code',
  'req.query.token',
  'req.query.state',
  '*.access_token',
  '*.refresh_token',
  '*.accessToken',
  '*.refreshToken',
  '*.client_secret',
  '*.password',
  '*.token',
  '*.secret',
  '*.SECRET_KEY',
  '*.STRAVA_CLIENT_SECRET',
  '*.SMTP_URL',
];
