import { describeTarget, targetMet } from './targets';

describe('bench targets', () => {
  it('meets an at-least target at or above it, and an at-most target at or below it', () => {
    expect(targetMet({ measure: 'events/s', value: 3_000, unit: 'events/s', atLeast: 3_000 })).toBe(true);
    expect(targetMet({ measure: 'events/s', value: 2_999, unit: 'events/s', atLeast: 3_000 })).toBe(false);
    expect(targetMet({ measure: 'p99', value: 100, unit: 'ms', atMost: 100 })).toBe(true);
    expect(targetMet({ measure: 'p99', value: 100.1, unit: 'ms', atMost: 100 })).toBe(false);
  });

  it('misses when the figure is not a number (a bench that measured nothing)', () => {
    expect(targetMet({ measure: 'p95', value: Number.NaN, unit: 'ms', atMost: 5_000 })).toBe(false);
  });

  it('describes the target the way the summary prints it', () => {
    expect(describeTarget({ measure: 'runs', value: 1, unit: 'runs/s', atLeast: 250_000 })).toBe('≥ 250,000');
    expect(describeTarget({ measure: 'overhead', value: 1, unit: '%', atMost: 10 })).toBe('≤ 10');
  });
});
