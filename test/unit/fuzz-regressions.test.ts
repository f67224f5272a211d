/**
 * Requests the reliability fuzz (test/reliability/r3-fuzz.ts) found answered 500, kept as
 * regressions: each must now be a 400 naming the field.
 */
import { describe, expect, it } from 'vitest';
import { CreateInvoiceBody, CreditNoteBody } from '../../functions/invoices/schemas.ts';
import { fieldErrors } from '../../functions/shared/validation.ts';

const line = { description: 'Peinture', kind: 'labour', quantity: 3, unit: 'h', unitPriceCents: 3_000, vatRate: '20' };
const invoice = {
  etd: '44',
  cae: 'MSG',
  entrepreneurId: `ent_${'0'.repeat(26)}`,
  clientId: `cli_${'0'.repeat(26)}`,
  kind: 'standard',
  title: 'Peinture',
  dueDays: 30,
};

const refusedPaths = (result: { success: boolean; error?: { issues: never[] } }) =>
  result.success ? [] : [...new Set(fieldErrors(result.error!.issues).map((e) => e.path))];

describe('quantities DynamoDB or the pricing rules cannot take are refused by the schema', () => {
  it('a line quantity of 1e-300 (positive, "3 decimals" within the tolerance, below DynamoDB’s 1e-130)', () => {
    expect(CreateInvoiceBody().safeParse({ ...invoice, lines: [line] }).success).toBe(true);
    expect(refusedPaths(CreateInvoiceBody().safeParse({ ...invoice, lines: [{ ...line, quantity: 1e-300 }] }) as never)).toEqual([
      'lines.0.quantity',
    ]);
    expect(refusedPaths(CreateInvoiceBody().safeParse({ ...invoice, lines: [{ ...line, quantity: 0.0004 }] }) as never)).toEqual([
      'lines.0.quantity',
    ]);
  });

  it('a credited quantity of 1e-300 or with more than 3 decimals', () => {
    expect(CreditNoteBody().safeParse({ reason: 'Erreur', lines: [{ index: 0, quantity: 0.5 }] }).success).toBe(true);
    for (const quantity of [1e-300, 0.0001, 1.2345]) {
      expect(
        refusedPaths(CreditNoteBody().safeParse({ reason: 'Erreur', lines: [{ index: 0, quantity }] }) as never),
        String(quantity),
      ).toEqual(['lines.0.quantity']);
    }
  });
});
