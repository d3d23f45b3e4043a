import { RULE_IDS, type RuleId, type Severity } from '@deload/domain';
import { dayOfDate } from '../calendar';
import { EVIDENCE_ORDER } from '../email-policy';
import { DISCLAIMER } from '../messages';
import { FIELD_KINDS, fromFormValue, toFormValue } from '../presentation/threshold-field';
import type { StoredFacts } from '../presentation/rule-presentation';
import { DEFAULT_THRESHOLDS } from '../thresholds';
import type { MessagePieces } from '../types';
import { cadenceDropPresentation } from './cadence-drop.presentation';
import { downhillSpikePresentation } from './downhill-spike.presentation';
import { monotonyPresentation } from './monotony.presentation';
import { painEarlierPresentation } from './pain-earlier.presentation';
import { singleRunSpikePresentation } from './single-run-spike.presentation';
import { weeklyIncreasePresentation } from './weekly-increase.presentation';
import { wornShoesPresentation } from './worn-shoes.presentation';
import { presentationOf, RULE_REGISTRY, RULE_TITLES } from '.';

/** One alert of each rule: stored facts, the exact figures its message is written from, and what people read. */
interface Sample {
  severity: Severity;
  facts: StoredFacts;
  subject: string;
  factLines: [string, string][];
  message(): MessagePieces;
  headline: string;
  firstSuggestion: string;
}

const sunday = dayOfDate('2025-03-09')!;
const run = {
  id: 'r1',
  startMs: 0,
  day: sunday,
  distanceM: 24_000,
  durationS: 8_400,
  elevationLossM: null,
  cadenceSpm: null,
  shoeId: null,
  pain: [],
};
const knee = (onsetM: number | null, onsetS: number | null = null) => ({
  hasPain: true,
  location: 'lateral_knee' as const,
  onsetM,
  onsetS,
});

/** Record<RuleId, …>: a new rule does not compile until it has its sample here. */
const SAMPLES: Record<RuleId, Sample> = {
  'single-run-spike': {
    severity: 'caution',
    facts: { runDate: '2025-03-09', distanceM: 24_000, previousLongestM: 16_552, ratio: 1.45 },
    subject: 'Your long run was 45 % longer than anything in the last 30 days',
    factLines: [
      ['Run', '24 km, Sunday 9 March'],
      ['Longest run in the 30 days before', '17 km'],
      ['Longer by', '45 %'],
    ],
    message: () => singleRunSpikePresentation.message({ run, longestM: 16_552, ratio: 1.45, severity: 'caution', weekM: 41_000 }, 'km'),
    headline: 'Your 24 km run on Sunday was 45 % longer than anything in the 30 days before it (17 km).',
    firstSuggestion: 'Cut the next 7 days by 20–30 % (about 29–33 km instead of the 41 km of the last 7 days).',
  },
  'weekly-increase': {
    severity: 'caution',
    facts: { acuteM: 52_000, baselineWeeklyM: 38_000, ratio: 1.368 },
    subject: 'You ran 37 % more this week than usual (52 km against 38 km)',
    factLines: [
      ['Last 7 days', '52 km'],
      ['Your average week, the 4 weeks before', '38 km'],
      ['Change', '+37 %'],
    ],
    message: () => weeklyIncreasePresentation.message({ acuteM: 52_000, baselineWeeklyM: 38_000, ratio: 52 / 38 }, 'km'),
    headline: 'You ran 52 km in the last 7 days, 37 % more than your average week of 38 km over the 4 weeks before.',
    firstSuggestion: 'Cut the next 7 days by 20–30 % (about 36–42 km instead of the 52 km of the last 7 days).',
  },
  'pain-earlier': {
    severity: 'warning',
    facts: {
      location: 'lateral_knee',
      reports: [
        { date: '2025-03-07', onsetM: 5_000, onsetS: null },
        { date: '2025-03-09', onsetM: 4_000, onsetS: null },
      ],
      earlierByFraction: 0.2,
      painfulRunsInRow: 2,
      earlyOnset: false,
    },
    subject: 'Your outer-knee pain is starting earlier in each run',
    factLines: [
      ['Pain on Friday 7 March', 'from 5 km'],
      ['Pain on Sunday 9 March', 'from 4 km'],
      ['Runs in a row with pain', '2'],
      ['Earlier each time by at least', '20 %'],
    ],
    message: () =>
      painEarlierPresentation.message(
        {
          location: 'lateral_knee',
          day: sunday,
          pain: knee(4_000),
          previousPain: knee(5_000),
          earlyOnset: false,
          runsInRow: null,
          earlierBy: 0.2,
        },
        'km',
      ),
    headline: 'Your outer-knee pain is starting earlier: at 4 km on Sunday after 5 km the time before (20 % sooner).',
    firstSuggestion: 'Stop your run at the point the pain starts; walking home is fine.',
  },
  'worn-shoes': {
    severity: 'warning',
    facts: { shoeName: 'Pegasus 40', distanceM: 812_000, retireAtM: 800_000 },
    subject: 'Your Pegasus 40 have covered 812 km',
    factLines: [
      ['Shoe', 'Pegasus 40'],
      ['Distance on it', '812 km'],
      ['Retire at', '800 km'],
    ],
    message: () =>
      wornShoesPresentation.message(
        {
          severity: 'warning',
          shoe: { id: 's1', name: 'Pegasus 40', distanceM: 812_000 },
          distanceM: 812_000,
          retireAtM: 800_000,
          concentratedShare: 0.95,
        },
        'km',
      ),
    headline: 'Your Pegasus 40 have covered 812 km: time to retire them.',
    firstSuggestion: 'Retire this pair, or keep it for short easy runs and walking.',
  },
  'cadence-drop': {
    severity: 'caution',
    facts: { recentCadenceSpm: 158.2, baselineCadenceSpm: 168.4, dropFraction: 0.061 },
    subject: 'Your step rate dropped 6 % at the same pace',
    factLines: [
      ['Recent runs', '158 steps/min'],
      ['Usual at that pace', '168 steps/min'],
      ['Lower by', '6 %'],
    ],
    message: () => cadenceDropPresentation.message({ runs: 3, recentSpm: 158.2, baselineSpm: 168.4, drop: 0.061 }, 'km'),
    headline: 'Your step rate over your last 3 runs was 6 % lower than usual at the same pace (158 against 168 steps a minute).',
    firstSuggestion: 'Take an easy day or two and see whether your cadence comes back.',
  },
  'downhill-spike': {
    severity: 'caution',
    facts: { acuteLossM: 1_240, baselineWeeklyLossM: 410, ratio: 3.02 },
    subject: '1240 m of downhill this week, 3 times your usual',
    factLines: [
      ['Descent, last 7 days', '1240 m'],
      ['Your usual week', '410 m'],
    ],
    message: () => downhillSpikePresentation.message({ acuteLossM: 1_240, baselineWeeklyLossM: 410, ratio: 3.02 }, 'km'),
    headline: 'You ran 1240 m downhill in the last 7 days, 3 times your usual week (410 m).',
    firstSuggestion: 'Keep the next week flat or gently rolling, and walk the steep descents.',
  },
  monotony: {
    severity: 'info',
    facts: { monotony: 2.43, weeklyM: 61_000, medianWeeklyM: 48_000 },
    subject: 'Your training week was heavy and very much the same every day',
    factLines: [
      ['Monotony (7 days)', '2.4'],
      ['Last 7 days', '61 km'],
      ['Your typical week', '48 km'],
    ],
    message: () => monotonyPresentation.message({ runDays: 7, monotony: 2.43, weeklyM: 61_000, medianWeeklyM: 48_000 }, 'km'),
    headline:
      'Your last 7 days were very much alike (7 running days, monotony 2.4) at a higher load than usual: 61 km against a typical 48 km.',
    firstSuggestion: 'Make the week vary: follow a harder or longer day with an easy one, and take a full rest day.',
  },
};

describe('the rule registry', () => {
  it('has one line per rule id, in the order of RULE_IDS, each rule with its own presentation', () => {
    expect(RULE_REGISTRY.map((entry) => entry.rule.id)).toEqual(RULE_IDS);
    for (const { rule, presentation } of RULE_REGISTRY) expect(presentation.rule).toBe(rule.id);
    expect(presentationOf('no-such-rule' as RuleId)).toBeUndefined();
  });

  it('gives every rule a distinct title, badge label and name for email lists', () => {
    for (const name of ['title', 'label', 'listName'] as const) {
      const names = RULE_REGISTRY.map((entry) => entry.presentation[name]);
      expect(names.every((text) => text.trim().length > 0)).toBe(true);
      expect(new Set(names).size).toBe(RULE_IDS.length);
    }
    expect(RULE_TITLES['pain-earlier']).toBe('Pain arriving earlier in the run');
  });

  it('ranks every rule by its evidence, so an email knows which signal leads', () => {
    expect([...EVIDENCE_ORDER].sort()).toEqual([...RULE_IDS].sort());
  });

  it('offers on the settings form only numeric settings the rule has, each with a unit and a lossless form value', () => {
    for (const { rule, presentation } of RULE_REGISTRY) {
      expect(presentation.thresholdFields.length).toBeGreaterThan(0);
      for (const field of presentation.thresholdFields) {
        const stored = (DEFAULT_THRESHOLDS[rule.id] as unknown as Record<string, unknown>)[field.key];
        expect(typeof stored).toBe('number');
        expect(field.label.trim()).not.toBe('');
        expect(FIELD_KINDS[field.kind].unit('mi')).not.toBe('');
        const shown = toFormValue(stored as number, field.kind, 'km');
        expect(shown).toBeGreaterThan(0);
        expect(FIELD_KINDS[field.kind].below ?? Infinity).toBeGreaterThan(shown);
        expect(fromFormValue(shown, field.kind, 'km')).toBeCloseTo(stored as number, 6);
      }
    }
  });
});

describe.each(RULE_REGISTRY.map(({ presentation }) => [presentation.rule, presentation] as const))(
  '%s presentation',
  (rule, presentation) => {
    const sample = SAMPLES[rule];

    it('says what and how much in an email subject, and lists the figures', () => {
      expect(presentation.subject(sample.facts, sample.severity, 'km')).toBe(sample.subject);
      expect(presentation.facts(sample.facts, 'km').filter((line) => line[1] !== undefined)).toEqual(sample.factLines);
    });

    it('leaves out what the stored facts lack instead of printing a broken figure', () => {
      const lines = presentation.facts({}, 'km');
      expect(lines.every(([, value]) => value === undefined)).toBe(true);
      const subject = presentation.subject({}, sample.severity, 'km');
      expect(subject === undefined || !/undefined|NaN/.test(subject)).toBe(true);
    });

    it('writes the alert’s message: headline, suggestions and the disclaimer', () => {
      const message = sample.message();
      expect(message.headline).toBe(sample.headline);
      expect(message.explanation).toMatch(/^[A-Z].+\.$/);
      expect(message.suggestions[0]).toBe(sample.firstSuggestion);
      expect(message.disclaimer).toBe(DISCLAIMER);
    });
  },
);

describe('worn-shoes presentation', () => {
  const shoe = { id: 's1', name: 'Pegasus 40', distanceM: 520_000, distanceIsLowerBound: true };

  it('plans the next pair at the mention distance, says "at least" for a partly known total, and suggests rotating a pair that carries most runs', () => {
    const mention = wornShoesPresentation.message(
      { severity: 'info', shoe, distanceM: 520_000, retireAtM: 800_000, concentratedShare: 0.95 },
      'mi',
    );
    expect(mention.headline).toBe('Your Pegasus 40 have covered at least 323 mi.');
    expect(mention.suggestions[0]).toBe('Plan your next pair: this one is likely to be worn out by about 497 mi.');
    expect(mention.suggestions[1]).toMatch(/^This pair carried 95 % of your runs in the last 8 weeks: rotating two pairs/);
    const alone = wornShoesPresentation.message(
      { severity: 'info', shoe, distanceM: 520_000, retireAtM: 800_000, concentratedShare: null },
      'mi',
    );
    expect(alone.suggestions).toHaveLength(1);
  });
});
