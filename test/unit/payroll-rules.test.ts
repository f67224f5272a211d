/** Payroll wiring rules (functions/payroll/domain): months, who sees what, receipts by content, business-plan profiles. */
import { describe, expect, it } from 'vitest';
import type { Principal } from '../../functions/shared/auth.ts';
import { canManage, canSee } from '../../functions/payroll/domain/access.ts';
import { addMonths, isFuturePeriod, isPeriod, periodOf, periodsBetween, previousPeriod } from '../../functions/payroll/domain/period.ts';
import { profileFor, profiles } from '../../functions/payroll/domain/profiles.ts';
import { checkReceipt, RECEIPT_MAX_BYTES, sniffReceiptType } from '../../functions/payroll/domain/receipt.ts';
import { expenseLabel } from '../../functions/payroll/expenses.ts';

describe('payroll months', () => {
  it.each([
    ['2026-01', true],
    ['2026-12', true],
    ['2026-13', false],
    ['2026-00', false],
    ['2026-1', false],
    ['26-01', false],
    ['2026-01-01', false],
  ])('%s is a period: %s', (value, expected) => expect(isPeriod(value)).toBe(expected));

  it('counts months across years', () => {
    expect(addMonths('2026-12', 1)).toBe('2027-01');
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(previousPeriod('2026-03')).toBe('2026-02');
    expect(periodsBetween('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(periodsBetween('2026-02', '2026-01')).toEqual([]);
  });

  it('takes the month in Paris: 31 December 23:30 UTC is already January there', () => {
    const now = new Date('2026-12-31T23:30:00Z');
    expect(periodOf(now)).toBe('2027-01');
    expect(isFuturePeriod('2027-01', now)).toBe(false);
    expect(isFuturePeriod('2027-02', now)).toBe(true);
  });
});

describe('payroll visibility', () => {
  const item = { etd: '44', entrepreneurId: 'ent_a' };
  const cases: [string, Principal, boolean, boolean][] = [
    ['operator', { sub: 'o', role: 'operator' }, true, true],
    ['manager of the territory', { sub: 'm', role: 'manager', etd: '44' }, true, true],
    ['manager of another territory', { sub: 'm', role: 'manager', etd: '35' }, false, false],
    ['the entrepreneur itself', { sub: 'e', role: 'entrepreneur', etd: '44', entityId: 'ent_a' }, true, false],
    ['another entrepreneur of the territory', { sub: 'e', role: 'entrepreneur', etd: '44', entityId: 'ent_b' }, false, false],
    ['an entrepreneur claiming another territory', { sub: 'e', role: 'entrepreneur', etd: '35', entityId: 'ent_a' }, false, false],
    ['a partner', { sub: 'p', role: 'partner', entityId: 'par_a' }, false, false],
  ];
  it.each(cases)('%s: sees %s, manages %s', (_name, principal, sees, manages) => {
    expect(canSee(principal, item)).toBe(sees);
    expect(canManage(principal, item)).toBe(manages);
  });
});

describe('receipts are checked by content', () => {
  const bytes = (...head: number[]) => new Uint8Array([...head, 1, 2, 3]);
  it.each([
    ['PDF', bytes(0x25, 0x50, 0x44, 0x46, 0x2d), 'application/pdf'],
    ['JPEG', bytes(0xff, 0xd8, 0xff, 0xe0), 'image/jpeg'],
    ['PNG', bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a), 'image/png'],
    ['GIF', bytes(0x47, 0x49, 0x46, 0x38), undefined],
    ['HTML calling itself a PDF', new TextEncoder().encode('<html>%PDF-'), undefined],
  ])('%s → %s', (_name, body, type) => expect(sniffReceiptType(body)).toBe(type));

  it('refuses nothing, the wrong type, and too many bytes; takes a PDF within the limit', () => {
    expect(checkReceipt(undefined)).toMatchObject({ ok: false, message: expect.stringContaining('no receipt') });
    expect(checkReceipt(new Uint8Array())).toMatchObject({ ok: false });
    expect(checkReceipt(bytes(0x47, 0x49, 0x46))).toMatchObject({ ok: false, message: expect.stringContaining('PDF, JPEG or PNG') });
    const big = new Uint8Array(RECEIPT_MAX_BYTES + 1);
    big.set([0x25, 0x50, 0x44, 0x46, 0x2d]);
    expect(checkReceipt(big)).toMatchObject({ ok: false, message: expect.stringContaining('at most') });
    expect(checkReceipt(big.subarray(0, RECEIPT_MAX_BYTES))).toEqual({ ok: true, type: 'application/pdf', bytes: RECEIPT_MAX_BYTES });
  });
});

describe('business-plan profiles (DOMAIN.md)', () => {
  it('carry the plan’s monthly turnover: hours × rate', () => {
    expect(profiles.map((p) => [p.code, p.monthlyTurnoverCents])).toEqual([
      ['ES.TC.Dép', 281_475],
      ['ES.Fo', 463_050],
      ['ES.DR', 330_624],
    ]);
  });
  it('follow the entrepreneur’s competences', () => {
    expect(profileFor(['coordinator'])?.code).toBe('ES.TC.Dép');
    expect(profileFor(['trainer'])?.code).toBe('ES.Fo');
    expect(profileFor(['recruiter', 'developer'])?.code).toBe('ES.DR');
    expect(profileFor([])).toBeUndefined();
  });
});

describe('the line of a validated expense reads in French', () => {
  it.each([
    [{ date: '2026-10-01', category: 'travel' }, 'Note de frais du 1er octobre 2026 (déplacement)'],
    [{ date: '2026-10-14', category: 'meals', label: 'Déjeuner client' }, 'Note de frais du 14 octobre 2026 (repas) — Déjeuner client'],
    [{ date: '2026-11-30', category: 'telecom' }, 'Note de frais du 30 novembre 2026 (télécommunications)'],
  ])('%o → %s', (expense, label) => {
    expect(expenseLabel(expense)).toBe(label);
  });
});
