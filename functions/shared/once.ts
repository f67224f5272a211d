/**
 * A value built on its first call, then the same value for the life of the container. For what
 * module scope must not build at cold start (issue 14): zod schemas (`lazy` in schemas.ts) and
 * Intl formatters, whose construction loads ICU's locale and time-zone data, ≈ 15 ms for the six
 * of clock.ts and french.ts in a fresh process, paid by every function that imports them whether
 * or not its request formats anything.
 */
export function once<T>(build: () => T): () => T {
  let value: T | undefined;
  let built = false;
  return () => {
    if (!built) {
      value = build();
      built = true;
    }
    return value as T;
  };
}
