import { fmt } from './format';

describe('page formatting', () => {
  it('shows distances in the viewer’s unit, rounded as in the emails', () => {
    expect(fmt.distance(52_340, 'km')).toBe('52 km');
    expect(fmt.distance(52_340, 'mi')).toBe('33 mi');
    expect(fmt.distance(8_000, 'km')).toBe('8 km');
    expect(fmt.distance(812_000, 'km')).toBe('812 km');
    expect(fmt.distance(null, 'km')).toBe('–');
  });

  it('shows a ratio as a change in per cent, with a real minus sign', () => {
    expect(fmt.change(1.37)).toBe('+37 %');
    expect(fmt.change(0.8)).toBe('−20 %');
    expect(fmt.change(1)).toBe('±0 %');
    expect(fmt.change(null)).toBe('–');
  });

  it('shows pace as moving time per km or mile, with a dash when it cannot be worked out', () => {
    expect(fmt.pace(3120, 10_000, 'km')).toBe('5:12 /km');
    expect(fmt.pace(3120, 10_000, 'mi')).toBe('8:22 /mi');
    expect(fmt.pace(null, 10_000, 'km')).toBe('–');
    expect(fmt.pace(600, 0, 'km')).toBe('–');
  });

  it('shows split and run times as a stopwatch does', () => {
    expect(fmt.clock(307)).toBe('5:07');
    expect(fmt.clock(3750.4)).toBe('1:02:30');
    expect(fmt.clock(null)).toBe('–');
  });

  it('shows pain onset as reported: distance, time or both', () => {
    expect(fmt.onset(4_500, null, 'km')).toBe('4.5 km in');
    expect(fmt.onset(null, 1_500, 'km')).toBe('25 min in');
    expect(fmt.onset(6_000, 4_200, 'mi')).toBe('3.7 mi / 1 h 10 min in');
    expect(fmt.onset(null, null, 'km')).toBe('onset not given');
  });

  it('shows dates in the runner’s zone, and local dates as they are', () => {
    const lateEvening = new Date('2025-03-16T23:30:00Z');
    expect(fmt.date(lateEvening, 'UTC')).toBe('Sun, 16 Mar 2025');
    expect(fmt.date(lateEvening, 'Europe/Oslo')).toBe('Mon, 17 Mar 2025');
    expect(fmt.date('2025-03-17', 'Pacific/Auckland')).toBe('Mon, 17 Mar 2025');
  });

  it('names rules for people', () => {
    expect(fmt.rule('pain-earlier')).toBe('Pain arriving earlier in the run');
    expect(fmt.ruleBadge('single-run-spike')).toBe('long-run spike');
    expect(fmt.words('lateral_knee')).toBe('lateral knee');
  });

  it('names severities with the emails’ words', () => {
    expect(['info', 'caution', 'warning', 'high'].map((severity) => fmt.severity(severity as 'info'))).toEqual([
      'Heads-up',
      'Caution',
      'Warning',
      'High',
    ]);
  });
});
