/**
 * Stripe's request encoding: form-encoded parameters with bracketed keys (`a[b][0][c]=…`), as the
 * official SDK sends them (POST bodies and GET query strings), decoded into nested objects and
 * arrays. Pure: no state, no HTTP. Malformed or hostile input (prototype keys, conflicting shapes,
 * too many or too deeply nested parameters) throws FormParseError naming the parameter; the
 * server turns it into a 400 invalid_request_error.
 */

export type FormValue = string | FormValue[] | { [key: string]: FormValue };
export type FormObject = { [key: string]: FormValue };

export class FormParseError extends Error {
  readonly param: string;
  constructor(message: string, param: string) {
    super(message);
    this.name = 'FormParseError';
    this.param = param;
  }
}

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_DEPTH = 8;
const MAX_PARAMS = 2000;
const MAX_INDEX = 1000;

/** `a[b][0][c]` → ['a', 'b', '0', 'c']; `a[]` → ['a', '']; throws on a malformed key. */
export function splitKey(key: string): string[] {
  const open = key.indexOf('[');
  if (open < 0) return [key];
  const segments = [key.slice(0, open)];
  let rest = key.slice(open);
  while (rest.length > 0) {
    const match = /^\[([^[\]]*)\]/.exec(rest);
    if (!match) throw new FormParseError(`Invalid parameter name: ${key}`, key);
    segments.push(match[1]!);
    rest = rest.slice(match[0].length);
  }
  return segments;
}

const isIndex = (segment: string) => segment === '' || /^\d{1,4}$/.test(segment);

/**
 * Parses a form-encoded string into nested objects and arrays. Numeric (or empty) segments make
 * arrays, in index order, gaps closed (as Stripe reads them). Conflicting shapes (`a=1&a[b]=2`)
 * and prototype keys are refused.
 */
export function parseStripeForm(text: string): FormObject {
  const root: FormObject = {};
  // Arrays are collected as index → value maps, turned into arrays at the end.
  const sparse = new WeakMap<object, Map<number, FormValue>>();
  let count = 0;
  for (const [key, value] of new URLSearchParams(text)) {
    if (++count > MAX_PARAMS) throw new FormParseError('Too many parameters', key);
    const segments = splitKey(key);
    if (segments.length > MAX_DEPTH) throw new FormParseError(`Parameter nested too deeply: ${key}`, key);
    if (segments[0] === '') throw new FormParseError(`Invalid parameter name: ${key}`, key);
    let container: FormObject | FormValue[] = root;
    for (let i = 0; i < segments.length; i++) {
      const segment = segments[i]!;
      if (FORBIDDEN.has(segment)) throw new FormParseError(`Invalid parameter name: ${key}`, key);
      const last = i === segments.length - 1;
      const nextIsIndex = !last && isIndex(segments[i + 1]!);
      const make = (): FormValue => (last ? value : nextIsIndex ? [] : {});
      if (Array.isArray(container)) {
        const slots = sparse.get(container)!;
        const index = segment === '' ? (slots.size === 0 ? 0 : Math.max(...slots.keys()) + 1) : Number(segment);
        if (!isIndex(segment) || index > MAX_INDEX) throw new FormParseError(`Invalid array index in ${key}`, key);
        let child = slots.get(index);
        if (child === undefined || last) {
          if (child !== undefined && last) throw new FormParseError(`Duplicate parameter: ${key}`, key);
          child = make();
          slots.set(index, child);
          if (Array.isArray(child)) sparse.set(child, new Map());
        }
        if (!last) {
          if (typeof child === 'string' || Array.isArray(child) !== nextIsIndex)
            throw new FormParseError(`Conflicting parameter: ${key}`, key);
          container = child as FormObject | FormValue[];
        }
      } else {
        let child: FormValue | undefined = Object.hasOwn(container, segment) ? container[segment] : undefined;
        if (child === undefined) {
          child = make();
          container[segment] = child;
          if (Array.isArray(child)) sparse.set(child, new Map());
        } else if (last) {
          throw new FormParseError(`Duplicate parameter: ${key}`, key);
        }
        if (!last) {
          if (typeof child === 'string' || Array.isArray(child) !== nextIsIndex)
            throw new FormParseError(`Conflicting parameter: ${key}`, key);
          container = child as FormObject | FormValue[];
        }
      }
    }
  }
  const finish = (value: FormValue): FormValue => {
    if (typeof value === 'string') return value;
    if (Array.isArray(value)) {
      const slots = sparse.get(value)!;
      return [...slots.entries()].sort(([a], [b]) => a - b).map(([, v]) => finish(v));
    }
    const out: FormObject = {};
    for (const [k, v] of Object.entries(value)) out[k] = finish(v);
    return out;
  };
  return finish(root) as FormObject;
}
