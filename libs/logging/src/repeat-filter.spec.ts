import { RepeatFilter } from './repeat-filter';

describe('RepeatFilter', () => {
  it('lets a message through once per interval, each key on its own', () => {
    const filter = new RepeatFilter(30_000);
    expect(filter.shouldSay('redis: connect ECONNREFUSED', 0)).toBe(true);
    expect(filter.shouldSay('redis: connect ECONNREFUSED', 10_000)).toBe(false);
    expect(filter.shouldSay('Connection is closed', 10_000)).toBe(true);
    expect(filter.shouldSay('redis: connect ECONNREFUSED', 30_000)).toBe(true);
  });
});
