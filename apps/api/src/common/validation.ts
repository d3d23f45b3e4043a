import { ApiBody } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { z } from 'zod';
import { invalid } from '@deload/domain';

/** Parses a request body (JSON or form) with a zod schema; DomainError('invalid') naming each problem. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message));
  throw invalid(problems.join('; '), { problems });
}

/** OpenAPI request body from the same zod schema the handler validates with. */
export function ApiBodyFrom(schema: z.ZodType, description?: string): MethodDecorator {
  return ApiBody({ description, schema: z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as SchemaObject });
}
