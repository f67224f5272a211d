/** The pure rules of a payment received outside Stripe (functions/payments/offline-rules.ts): a table of cases. */
import { describe, expect, it } from 'vitest';
import {
  fundingOf,
  isStripeKey,
  offlineKey,
  offlinePaymentRefusal,
  type OfflinePayment,
  type PayableInvoice,
  sameOfflinePayment,
} from '../../functions/payments/offline-rules.ts';
import { OfflinePaymentBody } from '../../functions/payments/contracts.ts';

const TODAY = '2026-11-30';
const issued: PayableInvoice = {
  state: 'issued',
  issueDate: '2026-11-02',
  amountDueCents: 47_520,
  amountPendingCents: 0,
  amountCreditedCents: 0,
  totals: { grossCents: 47_520 } as PayableInvoice['totals'],
};
const payment: OfflinePayment = {
  method: 'cesu-prefunded',
  amountCents: 20_000,
  receivedOn: '2026-11-20',
  reference: 'CESU 0012345 à 0012354',
};

describe('offlinePaymentRefusal', () => {
  const cases: [string, Partial<PayableInvoice>, Partial<OfflinePayment>, string | undefined, number?][] = [
    ['an issued invoice, part of what is due', {}, {}, undefined],
    ['the whole amount due', {}, { amountCents: 47_520 }, undefined],
    ['received today', {}, { receivedOn: TODAY }, undefined],
    ['received on the issue date', {}, { receivedOn: '2026-11-02' }, undefined],
    ['a partly paid invoice, the rest', { state: 'partially_paid', amountDueCents: 27_520 }, { amountCents: 27_520 }, undefined],
    ['a draft', { state: 'draft', issueDate: undefined }, {}, 'id', 409],
    ['received tomorrow', {}, { receivedOn: '2026-12-01' }, 'receivedOn', 400],
    ['received the day before the issue date', {}, { receivedOn: '2026-11-01' }, 'receivedOn', 409],
    [
      'off-premises: received before the first day a payment may be',
      { noPaymentBefore: '2026-11-10' },
      { receivedOn: '2026-11-09' },
      'receivedOn',
      409,
    ],
    ['off-premises: received on that first day', { noPaymentBefore: '2026-11-10' }, { receivedOn: '2026-11-10' }, undefined],
    ['an amount of 0', {}, { amountCents: 0 }, 'amountCents', 400],
    ['one cent above what is due', {}, { amountCents: 47_521 }, 'amountCents', 409],
    ['a paid invoice', { state: 'paid', amountDueCents: 0 }, { amountCents: 1 }, 'amountCents', 409],
    ['a cancelled invoice', { state: 'cancelled', amountDueCents: 0, amountCreditedCents: 47_520 }, {}, 'amountCents', 409],
    ['a debit processing: above what it leaves', { amountPendingCents: 40_000 }, { amountCents: 7_521 }, 'amountCents', 409],
    ['a debit processing: what it leaves', { amountPendingCents: 40_000 }, { amountCents: 7_520 }, undefined],
  ];
  it.each(cases)('%s', (_, invoice, change, field, status) => {
    const refusal = offlinePaymentRefusal({ ...issued, ...invoice }, { ...payment, ...change }, TODAY);
    if (field === undefined) expect(refusal).toBeUndefined();
    else expect(refusal).toMatchObject({ field, status });
  });

  it('says why in the message', () => {
    expect(
      offlinePaymentRefusal({ ...issued, noPaymentBefore: '2026-11-10' }, { ...payment, receivedOn: '2026-11-05' }, TODAY)?.message,
    ).toContain('L221-10');
    expect(offlinePaymentRefusal(issued, { ...payment, amountCents: 50_000 }, TODAY)?.message).toContain('47520');
  });
});

describe('funding by method', () => {
  it.each([
    ['cesu-prefunded', { prefundedCesuCents: 12_300 }],
    ['apa-pch', { apaPchCents: 12_300 }],
    ['avance-immediate', { avanceImmediateCents: 12_300 }],
    ['transfer', undefined],
    ['cheque', undefined],
  ] as const)('%s → %o', (method, funding) => {
    expect(fundingOf(method, 12_300)).toEqual(funding);
  });
});

describe('the payment key', () => {
  it('is the same for the same method and reference (spaces at the ends and runs of spaces aside), else different', () => {
    const key = offlineKey('cheque', '1234567');
    expect(key).toMatch(/^off_[0-9a-f]{26}$/);
    expect(offlineKey('cheque', '  1234567 ')).toBe(key);
    expect(offlineKey('cesu-prefunded', 'CESU  001 à 010')).toBe(offlineKey('cesu-prefunded', 'CESU 001 à 010'));
    expect(offlineKey('transfer', '1234567')).not.toBe(key);
    expect(offlineKey('cheque', '1234568')).not.toBe(key);
    expect(isStripeKey(key)).toBe(false);
    expect(isStripeKey('pi_3Q1aB2')).toBe(true);
  });

  it('a payment already recorded is the same call again only with the same amount and date', () => {
    expect(sameOfflinePayment({ amountCents: 20_000, receivedOn: '2026-11-20' }, payment)).toBe(true);
    expect(sameOfflinePayment({ amountCents: 20_001, receivedOn: '2026-11-20' }, payment)).toBe(false);
    expect(sameOfflinePayment({ amountCents: 20_000, receivedOn: '2026-11-21' }, payment)).toBe(false);
  });
});

describe('the body', () => {
  const ok = { method: 'transfer', amountCents: 100, receivedOn: '2026-11-20', reference: 'VIR SEPA 2026-11-20 DURAND' };
  it.each([
    ['an unknown method', { method: 'card' }, 'method'],
    ['an amount of 0', { amountCents: 0 }, 'amountCents'],
    ['a fraction of a cent', { amountCents: 10.5 }, 'amountCents'],
    ['not a date', { receivedOn: '20/11/2026' }, 'receivedOn'],
    ['an empty reference', { reference: '   ' }, 'reference'],
    ['a reference on two lines', { reference: 'a\nb' }, 'reference'],
    ['an unknown field', { funding: { apaPchCents: 1 } }, ''],
  ])('refuses %s, naming the field', (_, change, path) => {
    const result = OfflinePaymentBody().safeParse({ ...ok, ...change });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.path.join('.'))).toContain(path);
  });
  it('takes a valid one, the reference trimmed', () => {
    expect(OfflinePaymentBody().parse({ ...ok, reference: ' 0012345 ' }).reference).toBe('0012345');
  });
});
