import { addDays, isoWeekOf, weekBounds } from './iso-week';

describe('ISO weeks', () => {
  it.each([
    ['2025-03-05', '2025-W10'],
    ['2025-03-03', '2025-W10'],
    ['2025-03-09', '2025-W10'],
    ['2024-12-30', '2025-W01'],
    ['2021-01-03', '2020-W53'],
    ['2026-01-01', '2026-W01'],
  ])('%s is in %s', (date, week) => expect(isoWeekOf(date)).toBe(week));

  it('gives the Monday and Sunday of a week', () => {
    expect(weekBounds('2025-W10')).toEqual({ label: '2025-W10', monday: '2025-03-03', sunday: '2025-03-09' });
    expect(weekBounds('2020-W53')).toEqual({ label: '2020-W53', monday: '2020-12-28', sunday: '2021-01-03' });
  });

  it('refuses what is not a week', () => {
    expect(() => weekBounds('2025-10')).toThrow('is not an ISO week');
    expect(() => weekBounds('2025-W53')).toThrow('2025 has no week 53');
    expect(() => isoWeekOf('yesterday')).toThrow('is not a date');
  });

  it('adds days across month ends', () => expect(addDays('2025-03-03', -28)).toBe('2025-02-03'));
});
