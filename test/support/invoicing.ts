/**
 * Shared setup of the invoicing and payments integration tests: local adapters on a temporary
 * data directory (optionally pointed at the Stripe stand-in), the demo directory, one more client
 * with an e-mail for a SAMAD entrepreneur, request bodies, and accepted quotes made through the real
 * quote flow (create → send → accept by the client's link).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adapters, useAdapters } from '../../functions/shared/adapters.ts';
import type { Principal } from '../../functions/shared/auth.ts';
import * as directory from '../../functions/onboarding/service.ts';
import { CreateClientBody } from '../../functions/onboarding/schemas.ts';
import { CreateQuoteBody } from '../../functions/quotes/schemas.ts';
import * as quotes from '../../functions/quotes/service.ts';
import { sendQuote } from '../../functions/quotes/send.ts';
import { CreateInvoiceBody } from '../../functions/invoices/schemas.ts';
import { localAdapters, type StripeStandInConnection } from '../../infra/local/adapters.ts';
import { renewCaeInsurance } from './cae-legal.ts';
import { seedDemo } from '../../infra/local/seed.ts';

export const manager44: Principal = { sub: 'mgr-44', role: 'manager', etd: '44' };
export const manager85: Principal = { sub: 'mgr-85', role: 'manager', etd: '85' };
export const operator: Principal = { sub: 'op', role: 'operator' };

export interface InvoicingWorld {
  readonly dataDir: string;
  /** Martine Leroux, CAE SAMAD (home services). */
  readonly samadAuthor: string;
  /** A client of hers, with an e-mail address (Mme Lucie Bernard). */
  readonly samadClient: string;
  /** Sophie Garnier, CAE MSG (renovation). */
  readonly msgAuthor: string;
  /** Jean Moreau, her individual client, with an e-mail. */
  readonly msgClient: string;
  /** Isolation Bocage Rénovation (RGE), the partner of the quotes. */
  readonly partner: string;
}

/** A fresh data directory and the local adapters on it (documents, outbox, secrets; Stripe when given). */
export function installLocalAdapters(stripeStandIn?: StripeStandInConnection): string {
  const dataDir = mkdtempSync(join(tmpdir(), 'oui-invoicing-'));
  const env: NodeJS.ProcessEnv = { LINK_SIGNING_KEY: 'test-link-key-0123456789' };
  useAdapters(localAdapters({ dataDir, publicBaseUrl: 'http://127.0.0.1:9999', env, ...(stripeStandIn ? { stripeStandIn } : {}) }));
  return dataDir;
}

/** Seeds the demo directory (once per table prefix) and finds the parties the tests use. */
export async function seedInvoicingWorld(dataDir: string, now: Date): Promise<InvoicingWorld> {
  await seedDemo(now);
  // The invoicing tests date works invoices up to 2040 (series of their own): the policy renewed as an operator would.
  await renewCaeInsurance('44', 'MSG', 2040);
  const es = await directory.listEntrepreneurs(operator, { etd: '44', state: 'active', limit: 10 });
  const samadAuthor = es.items.find((e) => e.lastName === 'Leroux')!.id;
  const msgAuthor = es.items.find((e) => e.lastName === 'Garnier')!.id;
  const msgClient = (await directory.listClients(manager44, { entrepreneurId: msgAuthor, limit: 10 })).items.find(
    (c) => c.kind === 'individual',
  )!.id;
  const samadClient = (
    await directory.createClient(
      manager44,
      CreateClientBody().parse({
        etd: '44',
        kind: 'individual',
        entrepreneurId: samadAuthor,
        firstName: 'Lucie',
        lastName: 'Bernard',
        email: 'lucie.bernard@example.org',
        address: { line1: '4 rue des Lilas', postalCode: '44000', city: 'Nantes' },
      }),
      now,
    )
  ).id;
  // Isolation Bocage Rénovation by name: the insulation partners' listing order is not the test's to rely on.
  const insulators = (await directory.listPartners(operator, { trade: 'insulation', limit: 50 })).items;
  const partner = (insulators.find((p) => p.legalName === 'Isolation Bocage Rénovation') ?? insulators[0]!).id;
  return { dataDir, samadAuthor, samadClient, msgAuthor, msgClient, partner };
}

/**
 * A standard invoice of home services: hours × rate at 20 %. CAE SAMAD's is an SAP invoice (its
 * declaration on record; each line names its activity, in hours); CAE MSG's (no SAP declaration in
 * the demo) is of its home-services pole, not SAP.
 */
export const standardBody = (world: InvoicingWorld, cae: 'SAMAD' | 'MSG' = 'SAMAD', overrides: Record<string, unknown> = {}) =>
  CreateInvoiceBody().parse({
    etd: '44',
    cae,
    entrepreneurId: cae === 'SAMAD' ? world.samadAuthor : world.msgAuthor,
    clientId: cae === 'SAMAD' ? world.samadClient : world.msgClient,
    kind: 'standard',
    title: 'Aide à domicile — novembre',
    ...(cae === 'SAMAD' ? { sapEligible: true } : { sapEligible: false, pole: 'home-services' }),
    lines: [
      {
        description: 'Aide à domicile',
        kind: 'labour',
        quantity: 12.5,
        unit: 'h',
        unitPriceCents: 2_485,
        vatRate: '20',
        ...(cae === 'SAMAD' ? { sapActivity: 'elderly-assistance' } : {}),
      },
      {
        description: 'Accompagnement aux courses',
        kind: 'labour',
        quantity: 3,
        unit: 'h',
        unitPriceCents: 2_485,
        vatRate: '20',
        ...(cae === 'SAMAD' ? { sapActivity: 'dependent-accompaniment' } : {}),
      },
    ],
    ...overrides,
  });

/** The renovation quote of the quotes tests: two VAT rates (10 % and 5.5 %), a 30 % deposit. */
export const quoteBody = (world: InvoicingWorld, overrides: Record<string, unknown> = {}) =>
  CreateQuoteBody().parse({
    etd: '44',
    cae: 'MSG',
    entrepreneurId: world.msgAuthor,
    clientId: world.msgClient,
    siteAddress: { line1: '21 rue du Port', postalCode: '44200', city: 'Nantes' },
    title: 'Isolation des combles et remplacement de la fenêtre de la cuisine',
    housingOver2Years: true,
    worksStartWithinDays: 30,
    depositPercent: 30,
    partnerId: world.partner,
    lines: [
      {
        section: 'Isolation',
        description: 'Isolation des combles perdus, laine soufflée 32 cm (R = 7)',
        kind: 'material',
        quantity: 45.5,
        unit: 'm2',
        unitPriceCents: 2_851,
        vatRate: '5.5',
        energyRenovation: true,
      },
      {
        section: 'Isolation',
        description: 'Pose',
        kind: 'labour',
        quantity: 6.25,
        unit: 'h',
        unitPriceCents: 4_533,
        vatRate: '5.5',
        energyRenovation: true,
      },
      {
        section: 'Menuiserie',
        description: 'Fenêtre PVC double vitrage 100 × 120 cm',
        kind: 'material',
        quantity: 1,
        unit: 'u',
        unitPriceCents: 68_017,
        vatRate: '10',
      },
      { description: 'Déplacement', kind: 'travel', quantity: 1, unit: 'lump-sum', unitPriceCents: 3_533, vatRate: '10' },
      { description: 'Radiateur', kind: 'material', quantity: 1, unit: 'u', unitPriceCents: 19_999, vatRate: '20' },
    ],
    ...overrides,
  });

/** A quote sent and accepted by its client through the link, as the acceptance page does it. */
export async function acceptedQuote(
  world: InvoicingWorld,
  now: Date,
  overrides: Record<string, unknown> = {},
): Promise<quotes.QuoteRecord> {
  const sent = await sendQuote(adapters(), manager44, (await quotes.createQuote(manager44, quoteBody(world, overrides), now)).id, now);
  const quote = (await quotes.quoteOfLink(await quotes.linkToken(adapters(), sent.id)))!;
  return quotes.acceptQuote(
    quote,
    { signerName: 'Jean Moreau', ip: '203.0.113.7', userAgent: 'Mozilla/5.0', pdfSha256: sent.document!.sha256, vatCertified: true },
    now,
  );
}

/** A sent quote the client has not answered. */
export async function sentQuote(world: InvoicingWorld, now: Date, overrides: Record<string, unknown> = {}): Promise<quotes.QuoteRecord> {
  return sendQuote(adapters(), manager44, (await quotes.createQuote(manager44, quoteBody(world, overrides), now)).id, now);
}

/** Every number of a series, as sequences, sorted. */
export const sequencesOf = (numbers: readonly (string | null)[], prefix: string): number[] =>
  numbers
    .filter((n): n is string => typeof n === 'string' && n.startsWith(`${prefix}-`))
    .map((n) => Number(n.slice(prefix.length + 1)))
    .sort((a, b) => a - b);

export const oneToN = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);
