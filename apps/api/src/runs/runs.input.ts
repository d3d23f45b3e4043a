import { z } from 'zod';
import { OTHER_SPORTS, RUNNING_SPORTS } from '@deload/domain';
import { MAX_RUNS_PER_SHOE_CHANGE } from '@deload/ingest';
import type { RunListFilter } from '@deload/persistence';

export const SPORTS = [...RUNNING_SPORTS, ...OTHER_SPORTS] as const;

const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
/** An empty form field is no filter. */
const optional = <S extends z.ZodType>(schema: S) => z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

/** The runs list's query: whose runs (default your own), local dates, sport, page. */
export const runListQuerySchema = z
  .object({
    runnerId: optional(z.uuid('a runner id')),
    from: optional(localDate),
    to: optional(localDate),
    sport: optional(z.enum(SPORTS)),
    page: optional(z.coerce.number().int().min(1).max(100_000)),
  })
  .refine((query) => !query.from || !query.to || query.from <= query.to, { message: '`from` must not be after `to`' });

export type RunListQuery = z.output<typeof runListQuerySchema>;

export function filterOf(query: RunListQuery): RunListFilter {
  return { from: query.from, to: query.to, sport: query.sport };
}

/** PATCH /api/runs/:id */
export const runPatchSchema = z
  .strictObject({
    notARun: z.boolean().optional(),
    shoeId: z.uuid('a shoe id').nullable().optional(),
  })
  .refine((patch) => patch.notARun !== undefined || patch.shoeId !== undefined, { message: 'give `notARun` or `shoeId`' });

/** PATCH /api/runs: many runs onto one shoe (or none). */
export const runsShoePatchSchema = z.strictObject({
  runIds: z.array(z.uuid('a run id')).min(1).max(MAX_RUNS_PER_SHOE_CHANGE),
  shoeId: z.uuid('a shoe id').nullable(),
});
