/**
 * CESU on a real DynamoDB Local with the local adapters and the URSSAF stand-in: the demo employers
 * (a 78-year-old client with one +10 % worker, a 65-year-old client) get the declarations of the
 * worked cases, their summary PDF (read back with pdftotext) and export; the states move prepared →
 * submitted → paid; bad input is refused naming the field with nothing written; scopes; the yearly
 * tax-credit attestation of the demo SAP clients (pdftotext), a re-run that issues nothing, and a
 * corrected attestation when the amounts change. Each test runs in a world of its own.
 */
import { rmSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setUpLocalTables, uniquePrefix } from '../support/local-tables.ts';
import { installLocalAdapters, manager44, manager85, operator } from '../support/invoicing.ts';
import { usePdfReader } from '../support/pdf-text.ts';
import * as directory from '../../functions/onboarding/service.ts';
import type { Principal } from '../../functions/shared/auth.ts';
import { adapters } from '../../functions/shared/adapters.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../functions/shared/errors.ts';
import { seedDemo } from '../../infra/local/seed.ts';
import { seedCesuDemo } from '../../infra/local/demo-cesu.ts';
import { readOutbox } from '../../infra/local/adapters.ts';
import { cesuStandIn } from '../../infra/local/urssaf-cesu.ts';
import { useCesuPort } from '../../functions/cesu/urssaf.ts';
import {
  addWorker,
  exportDeclaration,
  getDeclaration,
  getEmployer,
  markPaid,
  submitDeclaration,
} from '../../functions/cesu/declarations.ts';
import { prepareDeclaration } from '../../functions/cesu/prepare.ts';
import { DeclarationBody, EmployerBody, WorkerBody } from '../../functions/cesu/schemas.ts';
import { findDeclaration, attestationsOfClient } from '../../functions/cesu/store.ts';
import { attestationsWithLinks } from '../../functions/cesu/attestation-views.ts';
import { issueAttestations } from '../../functions/cesu/attestations.ts';
import { recordSapSale } from '../../functions/cesu/sales.ts';
import { remindCoordinators } from '../../functions/cesu/reminders.ts';
import { SUMMARY_MENTION } from '../../functions/cesu/pdf.ts';
import { recordPayment } from '../../functions/payments/ledger.ts';

const now = new Date('2026-11-30T10:00:00Z');
const read = usePdfReader('cesu');
let dataDir: string;
let yvette: string;
let jean: string;
let leroux: string;
let garnier: string;
let benali: string;
let selfLeroux: Principal;

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e,
  );

beforeEach(async () => {
  await setUpLocalTables(uniquePrefix('cesu'));
  dataDir = installLocalAdapters();
  useCesuPort(cesuStandIn());
  await seedDemo(now);
  const es = (await directory.listEntrepreneurs(operator, { etd: '44', state: 'active', limit: 10 })).items;
  leroux = es.find((e) => e.lastName === 'Leroux')!.id;
  garnier = es.find((e) => e.lastName === 'Garnier')!.id;
  benali = es.find((e) => e.lastName === 'Benali')!.id;
  const clients = (await directory.listClients(operator, { etd: '44', limit: 10 })).items;
  yvette = clients.find((c) => c.kind === 'individual' && c.lastName === 'Durand')!.id;
  jean = clients.find((c) => c.kind === 'individual' && c.lastName === 'Moreau')!.id;
  selfLeroux = { sub: 'es-leroux', role: 'entrepreneur', etd: '44', entityId: leroux };
  // The ids in the order of demoEntrepreneurs / demoClients: Leroux 0, Benali 1, Garnier 2; Durand 0, Moreau 1.
  await seedCesuDemo([leroux, benali, garnier], [yvette, jean], now);
});
afterEach(() => {
  useCesuPort(undefined);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('CESU declarations of the demo employers', () => {
  it('the 78-year-old client (70+ exemption, +10 % worker): the worked case, submitted through the stand-in, paid', async () => {
    const d = await getDeclaration(selfLeroux, yvette, '2026-10');
    expect(d.state).toBe('paid');
    expect(d.reference).toMatch(/^CESU-202610-[0-9A-F]{8}$/);
    expect(d.submittedVia).toBe('port');
    expect(d.paidOn).toBe('2026-11-10');
    expect(d.deadline).toBe('2026-11-05');
    // test/unit/cesu-declaration.test.ts, case « 78-year-old employer »: 30 h at 11.00 € +10 %.
    expect(d.figures.workers[0]!.declaredNetHourlyCents).toBe(1_210);
    expect(d.figures).toMatchObject({
      netCents: 36_300,
      grossCents: 46_467,
      employeeContributionsCents: 10_167,
      employerContributionsBeforeReliefCents: 21_267,
      deductionCents: 0,
      exemption: { kind: 'aged-70', amountCents: 13_434, capCents: 23_132 },
      employerContributionsCents: 7_833,
      totalCostCents: 54_300,
      parametersVersion: 'cesu-2026-06-01',
    });
  });

  it('the 65-year-old client: the worked case with the 2 €/hour deduction; summary PDF and export', async () => {
    const d = await getDeclaration(manager44, jean, '2026-10');
    expect(d.state).toBe('prepared');
    expect(d.figures).toMatchObject({
      netCents: 48_000,
      grossCents: 61_444,
      deductionCents: 8_000,
      employerContributionsCents: 19_962,
      totalCostCents: 81_406,
    });
    const record = (await findDeclaration(jean, '2026-10'))!;
    const pdf = read(await adapters().documents.get(record.documentKey));
    expect(pdf.raw).toContain(SUMMARY_MENTION);
    expect(pdf.raw).toContain('Jean Moreau');
    expect(pdf.raw).toContain('Z4401961JM');
    expect(pdf.raw).toContain('Paul Lemaire');
    expect(pdf.layout).toMatch(/Salaire brut reconstitué par le Cesu : 614,44 €/);
    expect(pdf.layout).toMatch(/Déduction forfaitaire de 2,00 € par heure travaillée : − 80,00 €/);
    // The CST is a line of its own, its rate and cap from the parameter table; 2.70 % of 614.44 € = 16.59 €, capped at 5.00 €.
    expect(pdf.layout).toMatch(/Santé au travail \(plafond : 5,00 € par mois\) 614,44 € 2,70 % 5,00 €/);
    // Some 2026 values come from third-party sources: the summary says so, never « taux publiés par l’Urssaf ».
    expect(pdf.raw).toContain('certaines valeurs restent à vérifier');
    expect(pdf.raw).not.toContain('selon les taux publiés par l’Urssaf');
    expect(pdf.layout).toMatch(/Coût total pour l’employeur : 814,06 €/);
    expect(pdf.layout).toContain('Prévoyance IRCEM');

    const exported = await exportDeclaration(manager44, jean, '2026-10');
    expect(exported.workers[0]!.rows.map((r) => r.field)).toEqual([
      'employerNumber',
      'periodStart',
      'periodEnd',
      'employeeLastName',
      'employeeFirstName',
      'hours',
      'netHourlyWage',
      'paidLeaveIncluded',
      'netPay',
      'otherNetPay',
      'grossPay',
    ]);
    expect(exported.csv.split('\n')[1]).toBe('Z4401961JM;2026-10-01;2026-10-31;Lemaire;Paul;40;12,00;non;480,00;0,00;614,44');
  });

  it('the summary of the +10 % worker says so', async () => {
    const record = (await findDeclaration(yvette, '2026-10'))!;
    const pdf = read(await adapters().documents.get(record.documentKey));
    expect(pdf.layout).toMatch(/12,10 € \(11,00 € \+ 10 % de congés payés\)/);
    expect(pdf.layout).toMatch(/Exonération « 70 ans et plus »/);
    expect(pdf.layout).toMatch(/plafond : 231,32 €/);
  });

  it('a submitted month never changes: 409 naming the period; paid only once submitted', async () => {
    const [worker] = (await getEmployer(manager44, yvette)).workers;
    const e = await failure(
      prepareDeclaration(
        adapters(),
        manager44,
        yvette,
        '2026-10',
        DeclarationBody().parse({ workers: [{ workerId: worker!.id, hours: 10 }] }),
        now,
      ),
    );
    expect(e).toBeInstanceOf(ConflictError);
    expect((e as ConflictError).extensions.errors).toEqual([expect.objectContaining({ path: 'period' })]);
    expect(await failure(markPaid(manager44, jean, '2026-10', { paidOn: '2026-11-10' }, now))).toBeInstanceOf(ConflictError);
    const submitted = await submitDeclaration(manager44, jean, '2026-10', { reference: 'MANUAL-1234' }, now);
    expect(submitted).toMatchObject({ state: 'submitted', reference: 'MANUAL-1234', submittedVia: 'manual' });
    expect(await failure(submitDeclaration(manager44, jean, '2026-10', {}, now))).toBeInstanceOf(ConflictError);
  });

  it('without a connected port, a submission needs the reference (400 naming `reference`)', async () => {
    useCesuPort(undefined);
    const e = await failure(submitDeclaration(manager44, jean, '2026-10', {}, now));
    expect(e).toBeInstanceOf(ValidationError);
    expect((e as ValidationError).errors[0]!.path).toBe('reference');
    expect((await getDeclaration(manager44, jean, '2026-10')).state).toBe('prepared');
  });

  it('bad input is refused naming the field, nothing written', async () => {
    const [worker] = (await getEmployer(manager44, jean)).workers;
    const path = async (p: Promise<unknown>) => ((await failure(p)) as ValidationError).errors[0]!.path;
    const prepare = (period: string, workers: unknown) =>
      prepareDeclaration(adapters(), manager44, jean, period, DeclarationBody().parse({ workers }), now);
    // Below the minimum: SMIC 12.31 € gross → 9.62 € net.
    const low = await addWorker(
      manager44,
      jean,
      WorkerBody().parse({ firstName: 'Léa', lastName: 'Petit', startDate: '2026-01-05', netHourlyCents: 900, paidLeave: 'plus-10' }),
      now,
    );
    expect(await path(prepare('2026-09', [{ workerId: low.id, hours: 10 }]))).toBe('workers.0.netHourlyCents');
    // More than 48 h in a week.
    const days = ['2026-09-07', '2026-09-08', '2026-09-09', '2026-09-10', '2026-09-11'].map((date) => ({ date, hours: 10 }));
    expect(await path(prepare('2026-09', [{ workerId: worker!.id, days }]))).toBe('workers.0.days.4.hours');
    // A month in the future.
    expect(await path(prepare('2026-12', [{ workerId: worker!.id, hours: 10 }]))).toBe('period');
    expect(await findDeclaration(jean, '2026-09')).toBeUndefined();
    // The wage of the month can be given (the CESU form asks it every month): raised to 10.00 € net, accepted.
    const raised = await prepare('2026-09', [{ workerId: low.id, hours: 10, netHourlyCents: 1_000 }]);
    expect(raised.declaration.figures.workers[0]).toMatchObject({ netHourlyCents: 1_000, declaredNetHourlyCents: 1_100, netCents: 11_000 });
    // An exemption without its start date.
    const body = EmployerBody().safeParse({
      coordinatorId: garnier,
      cesuNumber: 'Z4401961JM',
      birthYear: 1950,
      exemption: { kind: 'apa-pch-disability' },
      alsaceMoselle: false,
    });
    expect(body.success).toBe(false);
    expect(body.error!.issues[0]!.path).toEqual(['exemption', 'from']);
  });

  it('48 h a week holds across two months: the days of September count in the week of 1 October', async () => {
    const [worker] = (await getEmployer(manager44, jean)).workers;
    const days = (dates: string[]) => dates.map((date) => ({ date, hours: 10 }));
    const prepare = (period: string, d: string[]) =>
      prepareDeclaration(
        adapters(),
        manager44,
        jean,
        period,
        DeclarationBody().parse({ workers: [{ workerId: worker!.id, days: days(d) }] }),
        now,
      );
    await prepare('2026-09', ['2026-09-28', '2026-09-29', '2026-09-30']);
    const e = await failure(prepare('2026-10', ['2026-10-01', '2026-10-02']));
    expect(e).toBeInstanceOf(ValidationError);
    expect((e as ValidationError).errors[0]!.path).toBe('workers.0.days.1.hours');
    expect((await getDeclaration(manager44, jean, '2026-10')).figures.hours).toBe(40); // the prepared one is untouched
  });

  it('scopes: the coordinator, the territory’s managers and operators; others 404', async () => {
    expect((await getEmployer(selfLeroux, yvette)).birthYear).toBe(1948);
    expect((await getEmployer(operator, yvette)).workers).toHaveLength(1);
    const others: Principal[] = [
      { sub: 'es-benali', role: 'entrepreneur', etd: '44', entityId: benali },
      { sub: 'es-garnier', role: 'entrepreneur', etd: '44', entityId: garnier },
      manager85,
      { sub: 'par', role: 'partner', entityId: 'par_00000000000000000000000000' },
    ];
    for (const p of others) {
      expect(await failure(getEmployer(p, yvette)), p.sub).toBeInstanceOf(NotFoundError);
      expect(await failure(getDeclaration(p, yvette, '2026-10')), p.sub).toBeInstanceOf(NotFoundError);
    }
  });

  it('the reminder e-mails the coordinators three days before the deadline, and only then', async () => {
    expect((await remindCoordinators(adapters(), new Date('2026-12-01T07:30:00Z'))).skipped).toBe(true);
    const before = readOutbox(dataDir).length;
    const result = await remindCoordinators(adapters(), new Date('2026-12-02T07:30:00Z'));
    // November 2026: neither employer has declared it; the deadline is 5 December.
    expect(result).toMatchObject({ period: '2026-11', open: 2, sent: 2, failed: 0 });
    const mails = readOutbox(dataDir).slice(before);
    expect(mails.map((m) => m.subject)).toEqual(
      expect.arrayContaining([expect.stringContaining('Cesu de novembre 2026 : 1 déclaration à faire avant le 5 décembre 2026')]),
    );
    expect(mails.map((m) => m.text).join('\n')).toContain('Yvette Durand (heures à saisir)');
  });
});

describe('yearly tax-credit attestation', () => {
  it('the demo SAP clients have one each, numbered per CAE and year; e-mailed to who has an address; the PDF says what the law asks', async () => {
    const lucienne = (await directory.listClients(operator, { etd: '44', limit: 20 })).items.find(
      (c) => c.kind === 'individual' && c.lastName === 'Martin',
    )!.id;
    const [y] = await attestationsOfClient(yvette);
    const [l] = await attestationsOfClient(lucienne);
    expect(await attestationsOfClient(jean)).toEqual([]); // an employer, but no SAP invoice
    // 18 h × 24.00 € HT + 10 % VAT = 475.20 €; 8 h × 26.00 € + 10 % = 228.80 €.
    expect(y).toMatchObject({ cae: 'SAMAD', year: 2026, paidCents: 47_520, hours: 18 });
    expect(l).toMatchObject({ cae: 'SAMAD', paidCents: 22_880, hours: 8 });
    expect([y!.number, l!.number].sort()).toEqual(['AF-SAMAD44-2026-000001', 'AF-SAMAD44-2026-000002']);
    const pdf = read(await adapters().documents.get(y!.documentKey));
    expect(pdf.raw).toContain('Attestation fiscale annuelle');
    expect(pdf.raw).toContain(y!.number);
    expect(pdf.raw).toContain('Votre contact : Martine Leroux');
    expect(pdf.raw).toContain('Déclaration SAP n° SAP901122333 du 15 septembre 2025');
    // The CAE's autorisation of its home-help service (CASF L313-1), as its invoices print it.
    expect(pdf.raw).toContain('Autorisation n° SAAD-44-2026-0117 du 5 janvier 2026, délivrée par le président du conseil');
    expect(pdf.raw).toContain('Yvette Durand');
    expect(pdf.raw).toContain('Martine Leroux');
    expect(pdf.raw).toContain(leroux);
    expect(pdf.layout).toMatch(/octobre 2026 .*18 h/);
    expect(pdf.layout).toMatch(/Montant acquitté par le bénéficiaire en 2026 : 475,20 €/);
    expect(pdf.raw).toContain('199 sexdecies');
    const mails = readOutbox(dataDir).filter((m) => m.subject.includes('attestation fiscale 2026'));
    expect(mails.map((m) => m.to)).toEqual(['lucienne.martin@example.org']);
    expect(mails[0]!.text).toContain(l!.number);
    const listed = await attestationsWithLinks(adapters(), lucienne);
    expect(listed.items[0]!.pdf.url).toMatch(/^http/);
  });

  it('a re-run issues nothing; a new payment makes a corrected attestation that says which it replaces', async () => {
    const again = await issueAttestations(adapters(), '44', 2026, now);
    expect(again).toMatchObject({ issued: [], corrected: 0, unchanged: 2 });

    // A second SAP invoice of Yvette's, paid in 2026: its facts arrive through the consumer's use case.
    const [first] = await attestationsOfClient(yvette);
    const { createInvoice } = await import('../../functions/invoices/service.ts');
    const { issueInvoice } = await import('../../functions/invoices/issue.ts');
    const { CreateInvoiceBody } = await import('../../functions/invoices/schemas.ts');
    const draft = await createInvoice(
      manager44,
      CreateInvoiceBody().parse({
        etd: '44',
        cae: 'SAMAD',
        clientId: yvette,
        entrepreneurId: leroux,
        kind: 'standard',
        title: 'Accompagnement à domicile — novembre 2026',
        dueDays: 30,
        sapEligible: true,
        serviceDate: '2026-11-20',
        lines: [
          {
            description: 'Entretien de la maison',
            sapActivity: 'housework',
            kind: 'labour',
            quantity: 4,
            unit: 'h',
            unitPriceCents: 2_400,
            vatRate: '10',
          },
        ],
      }),
      now,
    );
    const invoice = await issueInvoice(adapters(), manager44, draft.id, now);
    await recordPayment(
      adapters(),
      {
        invoiceId: invoice.id,
        paymentIntent: 'pi_test_sap2',
        amountCents: invoice.totals.grossCents,
        status: 'succeeded',
        method: 'card',
        at: now,
      },
      now,
    );
    const { eventsOfInvoice } = await import('../support/outbox-events.ts');
    // The payments context records no funding yet (no route sets it): the event carries it as it would,
    // 20.00 € in pre-funded CESU and 10.00 € of APA on this payment.
    const funding = { prefundedCesuCents: 2_000, apaPchCents: 1_000 };
    for (const event of await eventsOfInvoice(invoice.id)) {
      if (event.type === 'InvoiceIssued' || event.type === 'PaymentReceived') {
        const detail = event.type === 'PaymentReceived' ? { ...(event.detail as object), funding } : event.detail;
        await recordSapSale(event.type, detail as never);
        expect(await recordSapSale(event.type, detail as never)).toEqual({ recorded: false }); // once
      }
    }
    const run = await issueAttestations(adapters(), '44', 2026, new Date('2026-12-01T09:00:00Z'));
    expect(run).toMatchObject({ corrected: 1, unchanged: 1 });
    expect(run.issued[0]).toMatchObject({
      number: 'AF-SAMAD44-2026-000003',
      supersedes: first!.number,
      paidCents: 47_520 + 10_560 - 3_000,
      hours: 22,
    });
    const corrected = (await attestationsOfClient(yvette)).find((a) => a.number === 'AF-SAMAD44-2026-000003')!;
    const pdf = read(await adapters().documents.get(corrected.documentKey));
    expect(pdf.raw).toContain(`Attestation rectificative : remplace l’attestation n° ${first!.number}`);
    expect(pdf.raw).toMatch(/novembre 2026 Martine Leroux ent_[0-9a-z]+ 4 ?h/);
    // servicesalapersonne.gouv.fr: net of APA/PCH and pre-funded CESU, and the client told to declare the CESU they financed.
    expect(pdf.layout).toMatch(/Dont avance immédiate de crédit d’impôt, APA ou PCH : 10,00 €/);
    expect(pdf.layout).toMatch(/Dont Cesu préfinancés : 20,00 €/);
    expect(pdf.layout).toMatch(/Montant acquitté par le bénéficiaire en 2026 : 550,80 €/);
    expect(pdf.raw).toContain('le montant des Cesu que vous avez personnellement financés');
    // The first one is kept as issued (immutable).
    expect((await attestationsOfClient(yvette)).map((a) => a.number)).toEqual([first!.number, 'AF-SAMAD44-2026-000003']);
  });
});
