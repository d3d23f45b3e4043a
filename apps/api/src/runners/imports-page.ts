import { z } from 'zod';
import { parseInput } from '../common/validation';

const pageNumber = z.coerce
  .number({ error: 'must be a page number: 1, 2, 3…' })
  .int('must be a page number: 1, 2, 3…')
  .min(1, 'must be a page number: 1, 2, 3…')
  .max(100_000, 'must be at most 100000');

/**
 * The page of the imports table a request asks for, under `name` in its query string (`page` on the
 * JSON API, `importsPage` on the runner page, where other tables have their own); 1 when absent.
 */
export function importsPageOf(query: unknown, name: string): number {
  return parseInput(z.object({ [name]: pageNumber.optional() }), query)[name] ?? 1;
}
