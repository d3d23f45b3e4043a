import { z } from 'zod';
import { invalid, RULE_IDS } from '@deload/domain';

/**
 * Every rule threshold, with the defaults of DESIGN.md → Rules. A runner's overrides (users.rule_thresholds,
 * or `deload replay --rules`) are a partial object of the same shape, e.g.
 * `{ "weekly-increase": { "caution": 1.4 }, "monotony": { "enabled": false } }`. Distances in metres.
 * Windows are capped so every rule fits in the bounded evaluation window (engine.ts → WINDOW_DAYS).
 */
const number = () => z.number({ error: 'must be a number' });
const ratioAbove1 = (fallback: number) => number().gt(1, 'must be greater than 1').max(20, 'must be at most 20').default(fallback);
const fraction = (fallback: number) => number().gt(0, 'must be greater than 0').lt(1, 'must be less than 1').default(fallback);
const metres = (fallback: number) => number().positive('must be a positive number of metres').default(fallback);
const seconds = (fallback: number) => number().positive('must be a positive number of seconds').default(fallback);
const whole = (fallback: number, min: number, max: number, unit: string) =>
  number()
    .int(`must be a whole number of ${unit}`)
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`)
    .default(fallback);
const enabled = () => z.boolean({ error: 'must be true or false' }).default(true);

const ruleSettings = <T extends z.ZodRawShape>(shape: T) => z.strictObject({ enabled: enabled(), ...shape });

export const thresholdsSchema = z
  .strictObject({
    /**
     * A sign that comes back within this many days of the email that covered it is the same episode
     * (not emailed again unless worse); long-run spikes within it of one that led an email join its episode.
     */
    cooldownDays: whole(7, 1, 90, 'days'),
    'single-run-spike': ruleSettings({
      caution: ratioAbove1(1.1),
      high: ratioAbove1(2.0),
      minHistoryDays: whole(30, 7, 56, 'days'),
    }).prefault({}),
    'weekly-increase': ruleSettings({
      caution: ratioAbove1(1.3),
      minBaseWeeklyM: metres(10_000),
    }).prefault({}),
    'pain-earlier': ruleSettings({
      windowDays: whole(21, 7, 42, 'days'),
      consecutiveReports: whole(2, 2, 5, 'reports'),
      earlierFraction: fraction(0.1),
      highOnsetM: metres(2_000),
      highOnsetS: seconds(900),
      highRunsInRow: whole(3, 2, 10, 'runs'),
    }).prefault({}),
    'worn-shoes': ruleSettings({
      infoM: metres(500_000),
      warningM: metres(800_000),
      rotationShare: fraction(0.9),
      /** The same for a pair of shoes: a worn shoe is a slow state, not an event. */
      cooldownDays: whole(28, 1, 180, 'days'),
    }).prefault({}),
    'cadence-drop': ruleSettings({
      caution: fraction(0.05),
      recentRuns: whole(3, 1, 10, 'runs'),
      baselineDays: whole(42, 14, 56, 'days'),
      paceTolerance: fraction(0.1),
      minComparableRuns: whole(3, 1, 20, 'runs'),
    }).prefault({}),
    'downhill-spike': ruleSettings({
      caution: ratioAbove1(1.5),
      minLossM: metres(300),
    }).prefault({}),
    monotony: ruleSettings({
      info: number().gt(0, 'must be greater than 0').max(20, 'must be at most 20').default(2.0),
      medianWeeks: whole(8, 2, 10, 'weeks'),
    }).prefault({}),
  })
  .superRefine((value, context) => {
    if (value['single-run-spike'].high <= value['single-run-spike'].caution)
      context.addIssue({ code: 'custom', path: ['single-run-spike', 'high'], message: 'must be greater than single-run-spike.caution' });
    if (value['worn-shoes'].warningM <= value['worn-shoes'].infoM)
      context.addIssue({ code: 'custom', path: ['worn-shoes', 'warningM'], message: 'must be greater than worn-shoes.infoM' });
  });

export type Thresholds = z.output<typeof thresholdsSchema>;
export type RuleSettings<R extends (typeof RULE_IDS)[number]> = Thresholds[R];

export const DEFAULT_THRESHOLDS: Thresholds = thresholdsSchema.parse({});

/**
 * Validates a runner's overrides and fills in the defaults. Throws DomainError('invalid') naming
 * every problem, e.g. `invalid rule thresholds: weekly-increase.caution must be greater than 1 (got 0.8)`.
 */
export function parseThresholds(overrides: unknown): Thresholds {
  const result = thresholdsSchema.safeParse(overrides ?? {}, { reportInput: true });
  if (result.success) return result.data;
  const problems = result.error.issues.map(describeIssue);
  throw invalid(`invalid rule thresholds: ${problems.join('; ')}`, { problems });
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.join('.');
  if (issue.code === 'unrecognized_keys') {
    return issue.keys
      .map(
        (key) => `unknown setting "${path ? `${path}.` : ''}${key}"${path ? '' : ` (rules are ${RULE_IDS.join(', ')}; or cooldownDays)`}`,
      )
      .join('; ');
  }
  if (!path) return issue.code === 'invalid_type' ? 'must be a JSON object' : issue.message;
  const got = issue.code !== 'custom' && issue.input !== undefined ? ` (got ${JSON.stringify(issue.input)})` : '';
  return `${path} ${issue.message}${got}`;
}
