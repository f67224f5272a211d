/** Bad quote input is refused with the field named — the line, when a line is at fault. */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../functions/shared/errors.ts';
import { parseWith } from '../../functions/shared/validation.ts';
import { CreateQuoteBody, PatchQuoteBody } from '../../functions/quotes/schemas.ts';

const line = { description: 'Pose', kind: 'labour', quantity: 6, unit: 'h', unitPriceCents: 4_500, vatRate: '10' };
const quote = {
  etd: '44',
  cae: 'MSG',
  clientId: 'cli_01kmy3t2vz8k4q6w1n9r3b5d7f',
  siteAddress: { line1: '21 rue du Port', postalCode: '44200', city: 'Nantes' },
  title: 'Remplacement de la fenêtre de la cuisine',
  housingOver2Years: true,
  lines: [line],
};

function refused(body: unknown): string[] {
  try {
    parseWith(CreateQuoteBody(), body);
  } catch (error) {
    if (error instanceof ValidationError) return error.errors.map((e) => e.path);
    throw error;
  }
  return [];
}

describe('quote input', () => {
  it('accepts a complete quote and applies the defaults (30 days, free, no deposit)', () => {
    expect(refused(quote)).toEqual([]);
    expect(CreateQuoteBody().parse(quote)).toMatchObject({ validityDays: 30, feeCents: 0, depositPercent: 0 });
  });

  it.each([
    ['negative quantity', { lines: [{ ...line, quantity: -1 }] }, ['lines.0.quantity']],
    ['zero quantity', { lines: [{ ...line, quantity: 0 }] }, ['lines.0.quantity']],
    ['absurd quantity', { lines: [{ ...line, quantity: 1e9 }] }, ['lines.0.quantity']],
    ['four decimals', { lines: [{ ...line, quantity: 1.2345 }] }, ['lines.0.quantity']],
    ['negative price', { lines: [{ ...line, unitPriceCents: -100 }] }, ['lines.0.unitPriceCents']],
    ['price in euros', { lines: [{ ...line, unitPriceCents: 45.5 }] }, ['lines.0.unitPriceCents']],
    ['absurd price', { lines: [{ ...line, unitPriceCents: 1e12 }] }, ['lines.0.unitPriceCents']],
    ['unknown unit', { lines: [{ ...line, unit: 'kg' }] }, ['lines.0.unit']],
    ['unknown rate', { lines: [{ ...line, vatRate: '7' }] }, ['lines.0.vatRate']],
    ['rate as a number', { lines: [{ ...line, vatRate: 10 }] }, ['lines.0.vatRate']],
    ['10 % on new housing', { housingOver2Years: false, lines: [{ ...line, vatRate: '20' }, line] }, ['lines.1.vatRate']],
    ['5.5 % on non-energy works', { lines: [line, { ...line, vatRate: '5.5' }] }, ['lines.1.vatRate']],
    ['no lines', { lines: [] }, ['lines']],
    ['501 lines', { lines: Array.from({ length: 501 }, () => line) }, ['lines']],
    ['deposit over 100 %', { depositPercent: 120 }, ['depositPercent']],
    ['validity of 0 days', { validityDays: 0 }, ['validityDays']],
    ['bad site postal code', { siteAddress: { ...quote.siteAddress, postalCode: '442' } }, ['siteAddress.postalCode']],
    ['unknown field', { discount: 10 }, ['']],
  ])('%s', (_, overrides, paths) => expect(refused({ ...quote, ...overrides })).toEqual(paths));

  it('takes 500 lines', () => expect(refused({ ...quote, lines: Array.from({ length: 500 }, () => line) })).toEqual([]));

  it('refuses a patch that changes nothing or sets the state', () => {
    expect(() => parseWith(PatchQuoteBody(), { version: 1 })).toThrow(ValidationError);
    expect(() => parseWith(PatchQuoteBody(), { version: 1, state: 'accepted' })).toThrow(ValidationError);
    expect(parseWith(PatchQuoteBody(), { version: 1, depositPercent: 20 })).toEqual({ version: 1, depositPercent: 20 });
  });
});
