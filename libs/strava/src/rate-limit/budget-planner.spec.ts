import { budgetShares, dayProgress, mayRequest } from './budget-planner';
import { STRAVA_WINDOWS } from './rate-windows';

const DAY = Date.UTC(2031, 4, 4);
const at = (hours: number, minutes = 0) => DAY + hours * 3600_000 + minutes * 60_000;
const limits = { short: 100, daily: 1000 };

describe('the Strava budget planner', () => {
  it('counts the day in quarter hours, the current one included', () => {
    expect(dayProgress(at(0, 0), STRAVA_WINDOWS)).toBeCloseTo(1 / 96);
    expect(dayProgress(at(0, 14), STRAVA_WINDOWS)).toBeCloseTo(1 / 96);
    expect(dayProgress(at(12, 0), STRAVA_WINDOWS)).toBeCloseTo(49 / 96);
    expect(dayProgress(at(23, 59), STRAVA_WINDOWS)).toBe(1);
  });

  it('lets webhook fetches use the whole budget, but for the slot a refused token’s repeat needs', () => {
    expect(budgetShares('webhook', at(0, 5), STRAVA_WINDOWS)).toEqual({ short: 1, daily: 1, dailyRetryAt: DAY + 86_400_000 });
    expect(mayRequest('webhook', { short: 98, daily: 998 }, limits, at(0, 5), STRAVA_WINDOWS)).toBe(true);
    expect(mayRequest('webhook', { short: 99, daily: 10 }, limits, at(0, 5), STRAVA_WINDOWS)).toBe(false);
    expect(mayRequest('webhook', { short: 0, daily: 999 }, limits, at(0, 5), STRAVA_WINDOWS)).toBe(false);
  });

  it('spreads backfills over the day: 70 % of a quarter hour, and of the day only as far as it has gone plus two hours', () => {
    // 00:05: 9 quarter hours' worth (1 + 8 of head start) of 700 → 65 requests.
    expect(mayRequest('background', { short: 0, daily: 64 }, limits, at(0, 5), STRAVA_WINDOWS)).toBe(true);
    expect(mayRequest('background', { short: 0, daily: 65 }, limits, at(0, 5), STRAVA_WINDOWS)).toBe(false);
    expect(mayRequest('background', { short: 69, daily: 100 }, limits, at(12), STRAVA_WINDOWS)).toBe(true);
    expect(mayRequest('background', { short: 70, daily: 100 }, limits, at(12), STRAVA_WINDOWS)).toBe(false);
    expect(mayRequest('background', { short: 0, daily: 699 }, limits, at(23), STRAVA_WINDOWS)).toBe(true);
    expect(mayRequest('background', { short: 0, daily: 700 }, limits, at(23), STRAVA_WINDOWS)).toBe(false);
  });

  it('sends paced work back at the next quarter hour, when its share of the day has grown', () => {
    expect(budgetShares('background', at(3, 20), STRAVA_WINDOWS).dailyRetryAt).toBe(at(3, 30));
    expect(budgetShares('spare', at(10, 50), STRAVA_WINDOWS).dailyRetryAt).toBe(at(11));
    expect(budgetShares('background', at(23, 50), STRAVA_WINDOWS).dailyRetryAt).toBe(DAY + 86_400_000);
  });

  it('runs spare work only in a quiet quarter hour and while the day, webhooks included, is below 85 % of an even pace', () => {
    expect(mayRequest('spare', { short: 29, daily: 200 }, limits, at(12), STRAVA_WINDOWS)).toBe(true);
    expect(mayRequest('spare', { short: 30, daily: 200 }, limits, at(12), STRAVA_WINDOWS)).toBe(false);
    // 12:00–12:15: 49 of 96 quarter hours → 85 % of 510 = 433 of 1,000.
    expect(mayRequest('spare', { short: 0, daily: 432 }, limits, at(12), STRAVA_WINDOWS)).toBe(true);
    expect(mayRequest('spare', { short: 0, daily: 433 }, limits, at(12), STRAVA_WINDOWS)).toBe(false);
    expect(mayRequest('spare', { short: 0, daily: 849 }, limits, at(23, 50), STRAVA_WINDOWS)).toBe(true);
    expect(mayRequest('spare', { short: 0, daily: 850 }, limits, at(23, 50), STRAVA_WINDOWS)).toBe(false);
  });

  it('scales with limits Strava raised for an app', () => {
    const raised = { short: 600, daily: 30_000 };
    expect(mayRequest('background', { short: 400, daily: 5000 }, raised, at(6), STRAVA_WINDOWS)).toBe(true);
    expect(mayRequest('background', { short: 420, daily: 5000 }, raised, at(6), STRAVA_WINDOWS)).toBe(false);
  });
});
