/**
 * The house's zod (functions/shared/zod.ts): `zod/mini` with zod's English messages. Every module of
 * functions/ imports zod through it, never `zod` itself: classic zod would bring back into a bundle
 * the methods every schema carries (≈ 70 KiB, and most of the cost of building a body schema at a
 * cold start), and a module importing `zod/mini` directly would depend on the locale being set by
 * another module.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as z from '../../functions/shared/zod.ts';

const root = path.resolve(import.meta.dirname, '../..');
const sources = (readdirSync(path.join(root, 'functions'), { recursive: true }) as string[])
  .filter((f) => f.endsWith('.ts'))
  .map((f) => path.posix.join('functions', f.split(path.sep).join('/')));

describe('the house’s zod', () => {
  it('is the only module of functions/ importing zod', () => {
    const importsZod = /\bfrom\s+['"]zod(\/[^'"]*)?['"]/;
    const offenders = sources.filter((f) => f !== 'functions/shared/zod.ts' && importsZod.test(readFileSync(path.join(root, f), 'utf8')));
    expect(sources.length).toBeGreaterThan(100);
    expect(offenders).toEqual([]);
  });

  it.each([
    [z.string(), 1, 'Invalid input: expected string, received number'],
    [z.number().check(z.int()), 1.5, 'Invalid input: expected int, received number'],
    [z.number().check(z.gte(1)), 0, 'Too small: expected number to be >=1'],
    [z.string().check(z.maxLength(2)), 'abc', 'Too big: expected string to have <=2 characters'],
    [z.strictObject({ a: z.string() }), { a: 'x', b: 1 }, 'Unrecognized key: "b"'],
    [z.enum(['a', 'b']), 'c', 'Invalid option: expected one of "a"|"b"'],
  ] as const)('answers in English, as classic zod does (%#)', (schema, input, message) => {
    expect((schema as z.ZodMiniType).safeParse(input).error?.issues[0]?.message).toBe(message);
  });
});
