import {
  formatChange,
  formatDate,
  formatDateRange,
  formatDateTime,
  formatDistance,
  formatDuration,
  formatLocalDate,
  formatMetres,
  formatPercent,
  formatShortDate,
  formatTimes,
  painLabel,
} from './format';

describe('the formatters shared by pages and emails', () => {
  it('writes a distance whole from 10 units up and with one decimal below, in the runner’s unit', () => {
    expect(formatDistance(52_340, 'km')).toBe('52 km');
    expect(formatDistance(4_500, 'km')).toBe('4.5 km');
    expect(formatDistance(8_000, 'km')).toBe('8 km');
    expect(formatDistance(9_990, 'km')).toBe('10 km');
    expect(formatDistance(52_340, 'mi')).toBe('33 mi');
    expect(formatDistance(6_000, 'mi')).toBe('3.7 mi');
    expect(formatDistance(15_000, 'mi')).toBe('9.3 mi');
  });

  it('writes metres of descent, minutes and hours', () => {
    expect(formatMetres(812.4)).toBe('812 m');
    expect(formatDuration(1_500)).toBe('25 min');
    expect(formatDuration(4_200)).toBe('1 h 10 min');
  });

  it('writes percentages whole, and a change with its sign and a real minus', () => {
    expect(formatPercent(0.372)).toBe('37 %');
    expect(formatChange(0.12)).toBe('+12 %');
    expect(formatChange(-0.08)).toBe('−8 %');
    expect(formatChange(0.004)).toBe('±0 %');
    expect(formatChange(-0.004)).toBe('±0 %');
    expect(formatTimes(2.14)).toBe('2.1');
    expect(formatTimes(2)).toBe('2');
  });

  it('writes a local date as the runner’s own calendar day, whatever the server’s zone', () => {
    expect(formatLocalDate('2025-03-04')).toBe('Tuesday 4 March');
    expect(formatLocalDate('not a date')).toBe('not a date');
    expect(formatShortDate('2025-03-17')).toBe('17 Mar');
    expect(formatDate('2025-03-17', 'Pacific/Auckland')).toBe('Mon, 17 Mar 2025');
    expect(formatDateRange('2025-03-03', '2025-03-09')).toBe('3–9 March 2025');
    expect(formatDateRange('2025-04-28', '2025-05-04')).toBe('28 April–4 May 2025');
  });

  it('writes an instant in the runner’s time zone', () => {
    const lateEvening = new Date('2025-03-16T23:30:00Z');
    expect(formatDate(lateEvening, 'UTC')).toBe('Sun, 16 Mar 2025');
    expect(formatDate(lateEvening, 'Europe/Oslo')).toBe('Mon, 17 Mar 2025');
    expect(formatDateTime(lateEvening, 'Europe/Oslo')).toBe('17 Mar 2025, 00:30');
  });

  it('names pain by where it is', () => {
    expect(painLabel('lateral_knee')).toBe('outer-knee pain');
    expect(painLabel('achilles')).toBe('Achilles pain');
    expect(painLabel('other')).toBe('pain');
    expect(painLabel(null)).toBe('pain');
  });
});
