import type { EngineShoe } from '../types';
import { conditionsOf, evaluateOn, noteOf, STEADY_WEEK, weeks } from '../../test/factories';
import { dayOfDate, LocalCalendar } from '../calendar';
import { DEFAULT_THRESHOLDS } from '../thresholds';
import { toLoggedRuns } from '../engine';
import { TrainingLog } from '../training-log';
import { wornShoes } from './worn-shoes.rule';

const shoe = (distanceM: number | null, extra: Partial<EngineShoe> = {}): EngineShoe => ({
  id: 'peg',
  name: 'Pegasus 40',
  distanceM,
  ...extra,
});
const runsIn = (shoeId = 'peg') => weeks('2025-03-03', 2, STEADY_WEEK, { shoe: shoeId });

describe('worn-shoes', () => {
  it('informs at exactly 500 km and not just below', () => {
    const [condition] = conditionsOf(evaluateOn('2025-03-16', runsIn(), { shoes: [shoe(500_000)] }), 'worn-shoes');
    expect(condition).toMatchObject({
      severity: 'info',
      dedupeKey: 'shoe-peg',
      facts: { shoeId: 'peg', distanceM: 500000, thresholdM: 500000, retireAtM: 800000 },
    });
    expect(condition.message.headline).toBe('Your Pegasus 40 have covered 500 km.');
    expect(conditionsOf(evaluateOn('2025-03-16', runsIn(), { shoes: [shoe(499_900)] }), 'worn-shoes')).toEqual([]);
  });

  it('warns at 800 km', () => {
    const [condition] = conditionsOf(evaluateOn('2025-03-16', runsIn(), { shoes: [shoe(800_000)] }), 'worn-shoes');
    expect(condition.severity).toBe('warning');
    expect(condition.message.headline).toBe('Your Pegasus 40 have covered 800 km: time to retire them.');
  });

  it('warns at the shoe’s own retire distance, with no info step when that is below 500 km', () => {
    expect(
      conditionsOf(evaluateOn('2025-03-16', runsIn(), { shoes: [shoe(600_000, { retireThresholdM: 600_000 })] }), 'worn-shoes')[0].severity,
    ).toBe('warning');
    const early = evaluateOn('2025-03-16', runsIn(), { shoes: [shoe(420_000, { retireThresholdM: 400_000 })] });
    expect(conditionsOf(early, 'worn-shoes')[0]).toMatchObject({ severity: 'warning', facts: { thresholdM: 400000 } });
    expect(
      conditionsOf(evaluateOn('2025-03-16', runsIn(), { shoes: [shoe(390_000, { retireThresholdM: 400_000 })] }), 'worn-shoes'),
    ).toEqual([]);
  });

  it('says "at least" when the shoe’s distance before our runs is unknown', () => {
    const [condition] = conditionsOf(
      evaluateOn('2025-03-16', runsIn(), { shoes: [shoe(512_000, { distanceIsLowerBound: true })] }),
      'worn-shoes',
    );
    expect(condition.message.headline).toBe('Your Pegasus 40 have covered at least 512 km.');
    expect(condition.facts.distanceIsLowerBound).toBe(true);
  });

  it('stays silent, saying why, for a shoe whose distance is unknown, a retired shoe or an unknown shoe', () => {
    const unknown = evaluateOn('2025-03-16', runsIn(), { shoes: [shoe(null)] });
    expect(conditionsOf(unknown, 'worn-shoes')).toEqual([]);
    expect(noteOf(unknown, 'worn-shoes').reason).toBe('Pegasus 40: distance unknown');
    expect(noteOf(evaluateOn('2025-03-16', runsIn(), { shoes: [shoe(900_000, { retired: true })] }), 'worn-shoes').reason).toBe(
      'Pegasus 40: retired',
    );
    expect(noteOf(evaluateOn('2025-03-16', runsIn('ghost'), { shoes: [] }), 'worn-shoes').reason).toBe('shoe ghost: unknown');
  });

  it('only looks at shoes used in the last 14 days', () => {
    const runs = [...runsIn('old'), ...weeks('2025-03-17', 5, STEADY_WEEK, { shoe: 'peg' })];
    const shoes = [shoe(300_000), shoe(900_000, { id: 'old', name: 'Old pair' })];
    expect(conditionsOf(evaluateOn('2025-03-29', runs, { shoes }), 'worn-shoes')).toHaveLength(1);
    expect(conditionsOf(evaluateOn('2025-03-30', runs, { shoes }), 'worn-shoes')).toEqual([]);
  });

  it('suggests rotating pairs when one pair carried over 90 % of 8 weeks’ runs', () => {
    const runs = weeks('2025-02-03', 8, STEADY_WEEK, { shoe: 'peg' });
    const [condition] = conditionsOf(evaluateOn('2025-03-30', runs, { shoes: [shoe(650_000)] }), 'worn-shoes');
    expect(condition.facts.shareOfRecentRuns).toBe(1);
    expect(condition.message.suggestions.join(' ')).toMatch(/carried 100 % of your runs in the last 8 weeks: rotating two pairs/);
    const shared = [
      ...weeks('2025-02-03', 8, [7, 0, 0, 0, 6, 0, 10], { shoe: 'peg' }),
      ...weeks('2025-02-03', 8, [0, 0, 7, 0, 0, 0, 0], { shoe: 'other' }),
    ];
    const [rotated] = conditionsOf(
      evaluateOn('2025-03-30', shared, { shoes: [shoe(650_000), shoe(100_000, { id: 'other' })] }),
      'worn-shoes',
    );
    expect(rotated.facts.shareOfRecentRuns).toBe(0.75);
    expect(rotated.message.suggestions.join(' ')).not.toMatch(/rotating/);
  });

  it('writes the distance in miles for a runner who uses miles', () => {
    const [condition] = conditionsOf(evaluateOn('2025-03-16', runsIn(), { shoes: [shoe(804_672)], units: 'mi' }), 'worn-shoes');
    expect(condition.message.headline).toBe('Your Pegasus 40 have covered 500 mi: time to retire them.');
  });

  it('asked again on the same log (as the replay does day after day), answers from what the shoes say now', () => {
    const log = new TrainingLog(toLoggedRuns(runsIn(), [], new LocalCalendar('UTC')));
    const peg = shoe(499_000);
    const day = dayOfDate('2025-03-16')!;
    const context = { log, today: day, lastKnownDay: day, historyStartDay: log.runs[0].day, shoes: new Map([['peg', peg]]) };
    const ask = (today: number) =>
      wornShoes.evaluate({ ...context, today, lastKnownDay: today, thresholds: DEFAULT_THRESHOLDS, units: 'km' });
    expect(ask(day).conditions).toEqual([]);
    peg.distanceM = 501_000;
    expect(ask(day).conditions.map((condition) => condition.facts.distanceM)).toEqual([501000]);
    const again = ask(day);
    expect(ask(day + 1)).toBe(ask(day + 1)); // unchanged inputs: the same answer
    expect(again.conditions[0].facts.shareOfRecentRuns).toBe(1);
    peg.retired = true;
    expect(ask(day + 1).conditions).toEqual([]);
  });
});
