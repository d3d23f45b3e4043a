import { budgetFromHeaders, exhaustedWindow } from './rate-limit-headers';
import { windowEnd, windowStart } from './rate-windows';

const headers = (usage: string, readUsage: string) => ({
  'x-ratelimit-limit': '200,2000',
  'x-ratelimit-usage': usage,
  'x-readratelimit-limit': '100,1000',
  'x-readratelimit-usage': readUsage,
});

describe('rate-limit headers', () => {
  it('takes the tighter of the overall and read budgets', () => {
    // 20 left overall (of 200) vs 60 reads (of 100): 20 left of an effective 100.
    expect(budgetFromHeaders(headers('180,1900', '40,300'))).toEqual({
      shortLimit: 100,
      shortUsage: 80,
      dailyLimit: 1000,
      dailyUsage: 900,
    });
    expect(budgetFromHeaders(headers('150,900', '40,300'))).toEqual({ shortLimit: 100, shortUsage: 50, dailyLimit: 1000, dailyUsage: 300 });
    expect(budgetFromHeaders(headers('10,20', '10,20'))).toEqual({ shortLimit: 100, shortUsage: 10, dailyLimit: 1000, dailyUsage: 20 });
  });

  it('ignores missing or malformed headers', () => {
    expect(budgetFromHeaders({})).toBeNull();
    expect(budgetFromHeaders(headers('many,few', '1,1'))).toBeNull();
  });

  it('knows which window a 429 was about', () => {
    expect(exhaustedWindow(budgetFromHeaders(headers('200,1200', '100,800')))).toBe('short');
    expect(exhaustedWindow(budgetFromHeaders(headers('20,2000', '10,1000')))).toBe('daily');
    expect(exhaustedWindow(null)).toBe('short');
  });
});

describe('rate windows', () => {
  it('are quarter hours from :00 and days from midnight UTC', () => {
    const now = Date.parse('2025-03-02T10:37:12Z');
    expect(new Date(windowStart(now, 15 * 60_000)).toISOString()).toBe('2025-03-02T10:30:00.000Z');
    expect(new Date(windowEnd(now, 15 * 60_000)).toISOString()).toBe('2025-03-02T10:45:00.000Z');
    expect(new Date(windowEnd(now, 24 * 3600_000)).toISOString()).toBe('2025-03-03T00:00:00.000Z');
  });
});
