import { needsRefresh, REFRESH_MARGIN_MS } from './strava-connections.service';

describe('when a Strava token is refreshed', () => {
  const now = Date.UTC(2031, 4, 4, 12);

  it('not while it lives longer than the margin, however old it is', () => {
    expect(needsRefresh(new Date(now + 6 * 3600_000), now)).toBe(false);
    expect(needsRefresh(new Date(now + REFRESH_MARGIN_MS + 1), now)).toBe(false);
  });

  it('when a call needs it and it expires within the margin or has expired', () => {
    expect(needsRefresh(new Date(now + REFRESH_MARGIN_MS), now)).toBe(true);
    expect(needsRefresh(new Date(now + 60_000), now)).toBe(true);
    expect(needsRefresh(new Date(now - 3 * 86_400_000), now)).toBe(true);
  });
});
