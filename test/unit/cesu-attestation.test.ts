/**
 * The yearly tax-credit attestation's amounts (functions/cesu/attestations.ts `clientYears`): what a
 * client actually paid in year N for SAP invoices — payments received in N minus refunds made in N,
 * net of what APA/PCH, pre-funded CESU and the avance immédiate financed (LEGAL-FR §1.6:
 * servicesalapersonne.gouv.fr, « montant acquitté … net de l’avance immédiate, de l’APA/PCH et des
 * CESU préfinancés »). Pure.
 */
import { describe, expect, it } from 'vitest';
import { clientYears } from '../../functions/cesu/attestations.ts';
import type { MoneyFact, SapInvoiceFact } from '../../functions/cesu/store.ts';

const invoice = (invoiceId: string, clientId: string, issuedOn: string): SapInvoiceFact => ({
  invoiceId,
  number: `F-SAMAD44-${issuedOn.slice(0, 4)}-${invoiceId}`,
  etd: '44',
  cae: 'SAMAD',
  entrepreneurId: 'ent_1',
  clientId,
  issuedOn,
});
const pay = (invoiceId: string, amountCents: number, on: string, fundedCents = 0, prefundedCesuCents = 0): MoneyFact => ({
  invoiceId,
  kind: 'payment',
  sourceId: `pi_${invoiceId}_${on}`,
  amountCents,
  on,
  fundedCents,
  prefundedCesuCents,
});
const refund = (invoiceId: string, amountCents: number, on: string): MoneyFact => ({
  invoiceId,
  kind: 'refund',
  sourceId: `re_${invoiceId}_${on}`,
  amountCents: -amountCents,
  on,
  fundedCents: 0,
});

describe('attestation amounts', () => {
  it('counts the money of the year only, refunds down, third-party funding out; an invoice of December paid in January counts in January’s year', () => {
    const invoices = [invoice('a', 'cli_1', '2025-12-15'), invoice('b', 'cli_1', '2026-03-02'), invoice('c', 'cli_2', '2026-05-10')];
    const money = new Map<string, MoneyFact[]>([
      // 300.00 paid, of which 100.00 in pre-funded CESU: named apart.
      ['a', [pay('a', 30_000, '2026-01-08', 10_000, 10_000)]],
      // 500.00 paid, of which 150.00 by the APA and 100.00 of avance immédiate recorded on the payment; 50.00 refunded.
      ['b', [pay('b', 50_000, '2026-03-20', 25_000), refund('b', 5_000, '2026-04-02')]],
      // Paid in 2027: not in 2026.
      ['c', [pay('c', 12_000, '2027-01-05')]],
    ]);
    expect(clientYears('SAMAD', 2026, invoices, money)).toEqual([
      {
        clientId: 'cli_1',
        cae: 'SAMAD',
        invoices: [invoices[0], invoices[1]],
        receivedCents: 30_000 + 50_000 - 5_000,
        fundedCents: 10_000 + 25_000,
        prefundedCesuCents: 10_000,
        paidCents: 75_000 - 35_000,
      },
    ]);
    expect(clientYears('SAMAD', 2027, invoices, money).map((c) => [c.clientId, c.paidCents])).toEqual([['cli_2', 12_000]]);
  });

  it('a client who paid nothing of their own (all financed, or all refunded) gets no attestation', () => {
    const invoices = [invoice('a', 'cli_1', '2026-02-01'), invoice('b', 'cli_2', '2026-02-01')];
    const money = new Map<string, MoneyFact[]>([
      ['a', [pay('a', 20_000, '2026-02-10', 20_000)]],
      ['b', [pay('b', 20_000, '2026-02-10'), refund('b', 20_000, '2026-02-20')]],
    ]);
    expect(clientYears('SAMAD', 2026, invoices, money)).toEqual([]);
  });
});
