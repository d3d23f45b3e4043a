import { DomainError } from '@deload/domain';
import { dateOfDay, dayOfDate, LocalCalendar, mondayOf, weekdayName } from './calendar';

describe('LocalCalendar', () => {
  it('places an instant on the runner’s local date, not the UTC one', () => {
    const auckland = new LocalCalendar('Pacific/Auckland');
    expect(dateOfDay(auckland.dayOf(new Date('2025-02-02T17:00:00Z')))).toBe('2025-02-03');
    const losAngeles = new LocalCalendar('America/Los_Angeles');
    expect(dateOfDay(losAngeles.dayOf(new Date('2025-02-03T05:00:00Z')))).toBe('2025-02-02');
  });

  it('handles the hours around DST changes (Europe/Oslo)', () => {
    const oslo = new LocalCalendar('Europe/Oslo');
    // 2025-03-30: clocks go from 02:00 to 03:00; 2025-10-26: from 03:00 back to 02:00.
    expect(dateOfDay(oslo.dayOf(new Date('2025-03-29T23:30:00Z')))).toBe('2025-03-30');
    expect(dateOfDay(oslo.dayOf(new Date('2025-03-30T21:59:00Z')))).toBe('2025-03-30');
    expect(dateOfDay(oslo.dayOf(new Date('2025-03-30T22:00:00Z')))).toBe('2025-03-31');
    expect(dateOfDay(oslo.dayOf(new Date('2025-10-26T22:59:00Z')))).toBe('2025-10-26');
    expect(dateOfDay(oslo.dayOf(new Date('2025-10-26T23:00:00Z')))).toBe('2025-10-27');
    const day = dayOfDate('2025-03-30')!;
    expect(oslo.endOf(day) - oslo.startOf(day) + 1).toBe(23 * 3600_000);
    expect(oslo.endOf(day + 210) - oslo.startOf(day + 210) + 1).toBe(25 * 3600_000);
  });

  it('refuses an unknown zone with a clear error', () => {
    expect(() => new LocalCalendar('Mars/Olympus')).toThrow(
      new DomainError('invalid', 'unknown time zone "Mars/Olympus" (use an IANA name such as Europe/Oslo)'),
    );
  });

  it('reads dates and weeks starting on Monday', () => {
    expect(dayOfDate('2025-02-30')).toBeNull();
    const sunday = dayOfDate('2025-03-09')!;
    expect(weekdayName(sunday)).toBe('Sunday');
    expect(dateOfDay(mondayOf(sunday))).toBe('2025-03-03');
    expect(dateOfDay(mondayOf(dayOfDate('2025-03-03')!))).toBe('2025-03-03');
  });
});
