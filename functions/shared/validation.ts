/** zod issues → the `errors: [{path, message}]` of a validation problem. */
import type * as z from './zod.ts';
import { ValidationError, type FieldError } from './errors.ts';

export function fieldErrors(issues: readonly z.core.$ZodIssue[], prefix = ''): FieldError[] {
  return issues.map((issue) => {
    const segments = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      return { path: [prefix, ...segments].filter(Boolean).join('.'), message: `unknown field(s): ${issue.keys.join(', ')}` };
    }
    return { path: [prefix, ...segments].filter(Boolean).join('.'), message: issue.message };
  });
}

export function parseWith<S extends z.ZodMiniType>(schema: S, input: unknown, prefix = ''): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new ValidationError(fieldErrors(result.error.issues, prefix));
  return result.data;
}
