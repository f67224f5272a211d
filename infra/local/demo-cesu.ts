/**
 * The CESU demo (issue 13), seeded through the use cases after the demo directory:
 * - two particulier-employeur files of ETD 44: Yvette Durand, 78 (born 1948, the 70+ exemption since
 *   2018), coordinated by Martine Leroux, one home worker on the +10 % method; Jean Moreau, 65 (born
 *   1961, no exemption: the 2 €/hour deduction), coordinated by Sophie Garnier, one worker on the
 *   monthly method; their October 2026 declarations (Yvette's submitted through the stand-in and paid,
 *   Jean's prepared) — the worked cases of test/unit/cesu-declaration.test.ts;
 * - the demo SAP clients' services à la personne of 2026 (by the CAE SAMAD, the one of ETD 44 with a SAP
 *   declaration): an invoice `sapEligible` for Yvette Durand and for a client of Martine Leroux's
 *   created here (Lucienne Martin), issued and paid by card, their facts recorded as the
 *   RecordSapSales consumer records them (so the relay's later delivery adds nothing), and the 2026
 *   tax-credit attestations of ETD 44 issued (Lucienne Martin's e-mailed; Yvette has no e-mail).
 */
import { issueAttestations } from '../../functions/cesu/attestations.ts';
import { addWorker, markPaid, registerEmployer, submitDeclaration } from '../../functions/cesu/declarations.ts';
import { prepareDeclaration } from '../../functions/cesu/prepare.ts';
import { recordSapSale } from '../../functions/cesu/sales.ts';
import { DeclarationBody, EmployerBody, WorkerBody } from '../../functions/cesu/schemas.ts';
import { cesuPort, useCesuPort } from '../../functions/cesu/urssaf.ts';
import { issueInvoice } from '../../functions/invoices/issue.ts';
import { CreateInvoiceBody } from '../../functions/invoices/schemas.ts';
import { createInvoice } from '../../functions/invoices/service.ts';
import { recordPayment } from '../../functions/payments/ledger.ts';
import { CreateClientBody } from '../../functions/onboarding/schemas.ts';
import { createClient } from '../../functions/onboarding/service.ts';
import { adapters } from '../../functions/shared/adapters.ts';
import type { Principal } from '../../functions/shared/auth.ts';
import { parisDate } from '../../functions/shared/clock.ts';
import { cesuStandIn } from './urssaf-cesu.ts';

/** `entrepreneur` / `client`: indexes in demoEntrepreneurs / demoClients (infra/local/demo-data.ts). */
export const demoCesu = {
  period: '2026-10',
  employers: [
    {
      client: 0,
      entrepreneur: 0,
      employer: { cesuNumber: 'Z4401948YD', birthYear: 1948, exemption: { kind: 'aged-70', from: '2018-03-01' }, alsaceMoselle: false },
      worker: {
        firstName: 'Nadia',
        lastName: 'Benoît',
        phone: '06 12 34 56 78',
        startDate: '2024-09-02',
        netHourlyCents: 1_100,
        paidLeave: 'plus-10',
      },
      hours: 30,
      submit: true,
    },
    {
      client: 1,
      entrepreneur: 2,
      employer: { cesuNumber: 'Z4401961JM', birthYear: 1961, exemption: { kind: 'none' }, alsaceMoselle: false },
      worker: {
        firstName: 'Paul',
        lastName: 'Lemaire',
        email: 'paul.lemaire@example.org',
        startDate: '2025-01-06',
        netHourlyCents: 1_200,
        paidLeave: 'monthly',
      },
      hours: 40,
      submit: false,
    },
  ],
  sap: {
    year: 2026,
    issuedOn: '2026-11-05',
    paidOn: '2026-11-12',
    invoices: [
      {
        client: 0,
        entrepreneur: 0,
        cae: 'SAMAD',
        title: 'Accompagnement à domicile — octobre 2026',
        line: {
          description: 'Entretien de la maison',
          sapActivity: 'housework',
          kind: 'labour',
          quantity: 18,
          unit: 'h',
          unitPriceCents: 2_400,
          vatRate: '10',
        },
      },
      {
        newClient: {
          etd: '44',
          kind: 'individual',
          firstName: 'Lucienne',
          lastName: 'Martin',
          email: 'lucienne.martin@example.org',
          phone: '02 40 98 76 54',
          address: { line1: '3 rue des Hortensias', postalCode: '44100', city: 'Nantes' },
        },
        entrepreneur: 0,
        cae: 'SAMAD',
        title: 'Petit jardinage — octobre 2026',
        line: {
          description: 'Taille des haies et entretien du jardin',
          sapActivity: 'gardening',
          kind: 'labour',
          quantity: 8,
          unit: 'h',
          unitPriceCents: 2_600,
          vatRate: '10',
        },
      },
    ],
  },
} as const;

const manager: Principal = { sub: 'seed', role: 'manager', etd: '44' };

/** Seeds the CESU demo; `now` must be after the SAP payments (the attestation year is 2026). */
export async function seedCesuDemo(entrepreneurIds: readonly string[], clientIds: readonly string[], now: Date): Promise<void> {
  const at = (day: string, time: string) => new Date(`${day}T${time}Z`);
  const preparedAt = at('2026-11-02', '09:30:00');
  const port = cesuPort().connected ? undefined : cesuStandIn();
  if (port) useCesuPort(port); // the seed declares through the stand-in when no port is installed
  try {
    for (const e of demoCesu.employers) {
      const clientId = clientIds[e.client]!;
      await registerEmployer(
        manager,
        clientId,
        EmployerBody().parse({ ...e.employer, coordinatorId: entrepreneurIds[e.entrepreneur] }),
        preparedAt,
      );
      const worker = await addWorker(manager, clientId, WorkerBody().parse(e.worker), preparedAt);
      await prepareDeclaration(
        adapters(),
        manager,
        clientId,
        demoCesu.period,
        DeclarationBody().parse({ workers: [{ workerId: worker.id, hours: e.hours }] }),
        preparedAt,
      );
      if (e.submit) {
        await submitDeclaration(manager, clientId, demoCesu.period, {}, at('2026-11-03', '10:00:00'));
        await markPaid(manager, clientId, demoCesu.period, { paidOn: '2026-11-10' }, at('2026-11-10', '12:00:00'));
      }
    }
  } finally {
    if (port) useCesuPort(undefined);
  }

  const sap = demoCesu.sap;
  for (const s of sap.invoices) {
    const entrepreneurId = entrepreneurIds[s.entrepreneur]!;
    const clientId =
      'newClient' in s
        ? (await createClient(manager, CreateClientBody().parse({ ...s.newClient, entrepreneurId }), at(sap.issuedOn, '07:00:00'))).id
        : clientIds[s.client]!;
    const draft = await createInvoice(
      manager,
      CreateInvoiceBody().parse({
        etd: '44',
        cae: s.cae,
        clientId,
        entrepreneurId,
        kind: 'standard',
        title: s.title,
        dueDays: 30,
        sapEligible: true,
        serviceDate: '2026-10-31',
        lines: [s.line],
      }),
      at(sap.issuedOn, '08:00:00'),
    );
    const invoice = await issueInvoice(adapters(), manager, draft.id, at(sap.issuedOn, '08:05:00'));
    const paymentIntent = `pi_demo_sap_${invoice.id}`;
    const paidAt = at(sap.paidOn, '10:00:00');
    await recordPayment(
      adapters(),
      { invoiceId: invoice.id, paymentIntent, amountCents: invoice.totals.grossCents, status: 'succeeded', method: 'card', at: paidAt },
      paidAt,
    );
    // As RecordSapSales records the InvoiceIssued and PaymentReceived events (the relay's later delivery adds nothing).
    await recordSapSale('InvoiceIssued', {
      invoiceId: invoice.id,
      number: invoice.number!,
      etd: '44',
      cae: s.cae,
      entrepreneurId,
      clientId,
      issuedOn: sap.issuedOn,
      kind: 'standard',
      totals: {
        netCents: invoice.totals.netCents,
        vatCents: invoice.totals.grossCents - invoice.totals.netCents,
        grossCents: invoice.totals.grossCents,
      },
      sapEligible: true,
    });
    await recordSapSale('PaymentReceived', {
      invoiceId: invoice.id,
      paymentIntent,
      etd: '44',
      cae: s.cae,
      entrepreneurId,
      amountCents: invoice.totals.grossCents,
      netHtCents: invoice.totals.netCents,
      receivedOn: parisDate(paidAt),
    });
  }
  await issueAttestations(adapters(), '44', sap.year, now);
}
