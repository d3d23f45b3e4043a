import { z } from 'zod';
import { TEAM_SORTS, TeamQuery } from '@deload/dashboard';
import { parseInput } from '../common/validation';

const teamQuerySchema = z.object({
  sort: z.enum(TEAM_SORTS, { error: `must be one of ${TEAM_SORTS.join(', ')}` }).optional(),
  order: z.enum(['asc', 'desc'], { error: 'must be asc or desc' }).optional(),
  filter: z.enum(['attention', 'all'], { error: 'must be attention or all' }).optional(),
  page: z
    .string()
    .regex(/^[1-9][0-9]{0,5}$/, { error: 'must be a page number from 1' })
    .transform(Number)
    .optional(),
});

/** `?sort=change&order=desc&filter=attention&page=2` (the same on the page and the JSON API). */
export function parseTeamQuery(query: unknown): TeamQuery {
  const parsed = parseInput(teamQuerySchema, query);
  return { sort: parsed.sort, order: parsed.order, attentionOnly: parsed.filter === 'attention', page: parsed.page };
}
