import pino from 'pino';
import { Writable } from 'node:stream';
import { REDACTED_PATHS } from './redaction';

function logLine(object: Record<string, unknown>): Record<string, unknown> {
  let written = '';
  const sink = new Writable({
    write(chunk, _encoding, done) {
      written += chunk.toString();
      done();
    },
  });
  pino({ redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, sink).info(object, 'message');
  return JSON.parse(written);
}

describe('log redaction', () => {
  it('hides tokens, cookies and authorization headers', () => {
    const line = logLine({
      req: { headers: { authorization: 'Bearer abc', cookie: 'sid=1' }, query: { code: 'oauth-code' } },
      strava: { access_token: 'at', refresh_token: 'rt' },
      body: { password: 'pw' },
    });
    expect(JSON.stringify(line)).not.toMatch(/Bearer abc|sid=1|oauth-code|"at"|"rt"|"pw"/);
    expect(line).toMatchObject({
      req: { headers: { authorization: '[redacted]', cookie: '[redacted]' } },
      strava: { access_token: '[redacted]' },
    });
  });
});
