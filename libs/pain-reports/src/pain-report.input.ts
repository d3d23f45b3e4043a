import { z } from 'zod';
import { invalid, PAIN_LOCATIONS, type PainObservation } from '@deload/domain';

const optional = <T extends z.ZodType>(schema: T) => schema.nullish().transform((value) => value ?? undefined);

/** A report as the API and the forms send it (SI units: metres and seconds). */
export const painReportInputSchema = z
  .strictObject({
    hasPain: z.boolean({ error: 'must be true or false' }),
    location: optional(z.enum(PAIN_LOCATIONS, { error: `must be one of ${PAIN_LOCATIONS.join(', ')}` })),
    side: optional(z.enum(['left', 'right', 'both'], { error: 'must be left, right or both' })),
    onsetM: optional(z.number({ error: 'must be a number of metres' }).min(0, 'must be 0 or more').max(250_000, 'must be at most 250000')),
    onsetS: optional(z.number({ error: 'must be a number of seconds' }).min(0, 'must be 0 or more').max(86_400, 'must be at most 86400')),
    severity: optional(
      z.number({ error: 'must be a number' }).int('must be a whole number').min(0, 'must be 0 or more').max(10, 'must be at most 10'),
    ),
    note: optional(z.string({ error: 'must be text' }).trim().max(500, 'must be at most 500 characters')),
  })
  .superRefine((value, context) => {
    if (value.hasPain) return;
    for (const field of ['onsetM', 'onsetS', 'severity'] as const) {
      if (value[field] !== undefined && !(field === 'severity' && value[field] === 0))
        context.addIssue({ code: 'custom', path: [field], message: 'makes no sense without pain (hasPain is false)' });
    }
  });

export type PainReportInput = PainObservation & { note?: string };

/** Validates a report; a DomainError('invalid') names every problem, e.g. "severity must be at most 10". */
export function parsePainReportInput(raw: unknown): PainReportInput {
  const result = painReportInputSchema.safeParse(raw, { reportInput: true });
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`;
    const path = issue.path.join('.');
    if (!path) return issue.code === 'invalid_type' ? 'the body must be a JSON object' : issue.message;
    return issue.code === 'invalid_type' && issue.input === undefined ? `${path} is required` : `${path} ${issue.message}`;
  });
  throw invalid(`invalid pain report: ${problems.join('; ')}`, { problems });
}
