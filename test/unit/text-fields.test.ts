/**
 * Control characters in text input: every string field of every request body and client form is
 * walked; a single-line field (name, title, address, city, line description…) refuses CR, LF, NUL
 * and every other control character, in the middle or at the end, with a 400 naming the field; a
 * multi-line field (notes, a decline reason, a public profile's missions) takes line feeds (CRLF
 * becomes LF) and refuses every other control character.
 */
import { describe, expect, it } from 'vitest';
import type * as z from '../../functions/shared/zod.ts';
import { ValidationError } from '../../functions/shared/errors.ts';
import { parseWith } from '../../functions/shared/validation.ts';
import { CreateQuoteBody, PatchQuoteBody, AcceptForm, DeclineForm } from '../../functions/quotes/schemas.ts';
import { CreateInvoiceBody, PatchInvoiceBody, CreditNoteBody } from '../../functions/invoices/schemas.ts';
import {
  CreateClientBody,
  CreateEntrepreneurBody,
  CreateEtdBody,
  CreatePartnerBody,
  TransitionBody,
} from '../../functions/onboarding/schemas.ts';
import { demoClients, demoEntrepreneurs, demoEtds, demoPartners, demoReferral } from '../../infra/local/demo-data.ts';
import {
  AttachmentBody,
  DeclineForm as OfferDeclineForm,
  OpenReferralBody,
  TransitionBody as ReferralTransitionBody,
} from '../../functions/referrals/schemas.ts';

const line = {
  section: 'Menuiserie',
  description: 'Fenêtre PVC 100 × 120 cm',
  kind: 'material',
  quantity: 1,
  unit: 'u',
  unitPriceCents: 68_000,
  vatRate: '20',
};
const address = { line1: '21 rue du Port', line2: 'Bâtiment B', postalCode: '44200', city: 'Nantes' };
const ids = {
  clientId: 'cli_01kmy3t2vz8k4q6w1n9r3b5d7f',
  entrepreneurId: 'ent_01kmy3t2vz8k4q6w1n9r3b5d7f',
  partnerId: 'par_01kmy3t2vz8k4q6w1n9r3b5d7f',
  quoteId: 'quo_01kmy3t2vz8k4q6w1n9r3b5d7f',
};

/** Each request schema with a valid sample holding every text field it has, and its multi-line fields. */
const cases: readonly { name: string; schema: z.ZodMiniType; sample: unknown; multiLine: readonly string[] }[] = [
  {
    name: 'POST /quotes',
    schema: CreateQuoteBody(),
    sample: {
      etd: '44',
      cae: 'MSG',
      entrepreneurId: ids.entrepreneurId,
      clientId: ids.clientId,
      partnerId: ids.partnerId,
      siteAddress: address,
      title: 'Remplacement de la fenêtre',
      housingOver2Years: false,
      notes: 'Accès par la cour.',
      lines: [line],
    },
    multiLine: ['notes'],
  },
  {
    name: 'PATCH /quotes/{id}',
    schema: PatchQuoteBody(),
    sample: { version: 1, title: 'Fenêtre', siteAddress: address, notes: 'Clés chez la voisine.', lines: [line] },
    multiLine: ['notes'],
  },
  {
    name: 'POST /invoices',
    schema: CreateInvoiceBody(),
    sample: {
      etd: '44',
      cae: 'SAMAD',
      clientId: ids.clientId,
      entrepreneurId: ids.entrepreneurId,
      kind: 'standard',
      title: 'Aide à domicile',
      purchaseOrder: 'BC-117',
      notes: 'Merci.',
      serviceDate: '2026-11-20',
      lines: [line],
    },
    multiLine: ['notes'],
  },
  {
    name: 'PATCH /invoices/{id}',
    schema: PatchInvoiceBody(),
    sample: { version: 1, title: 'Aide', purchaseOrder: 'BC-1', notes: 'Merci.', lines: [line] },
    multiLine: ['notes'],
  },
  { name: 'POST /invoices/{id}/credit-notes', schema: CreditNoteBody(), sample: { reason: 'Erreur de quantité' }, multiLine: [] },
  { name: 'POST /etds', schema: CreateEtdBody(), sample: demoEtds[0], multiLine: [] },
  { name: 'POST /entrepreneurs', schema: CreateEntrepreneurBody(), sample: demoEntrepreneurs[0], multiLine: ['publicProfile.missions'] },
  {
    name: 'POST /entrepreneurs/{id}/transitions',
    schema: TransitionBody(),
    sample: { to: 'suspended', reason: 'Congé maladie' },
    multiLine: [],
  },
  {
    name: 'POST /clients (individual)',
    schema: CreateClientBody(),
    sample: { ...demoClients[1].body, entrepreneurId: ids.entrepreneurId, phone: '06 12 34 56 78', address },
    multiLine: [],
  },
  { name: 'POST /clients (company)', schema: CreateClientBody(), sample: demoClients[2].body, multiLine: [] },
  { name: 'POST /partners', schema: CreatePartnerBody(), sample: demoPartners[1], multiLine: [] },
  {
    name: 'POST /q/{token}/accept (form)',
    schema: AcceptForm(),
    sample: { signerName: 'Jean Moreau', certifyVat: 'on', pdfSha256: 'a'.repeat(64) },
    multiLine: [],
  },
  { name: 'POST /q/{token}/decline (form)', schema: DeclineForm(), sample: { reason: 'Trop cher' }, multiLine: ['reason'] },
  {
    name: 'POST /referrals',
    schema: OpenReferralBody(),
    sample: { ...demoReferral, clientId: ids.clientId, entrepreneurId: ids.entrepreneurId },
    multiLine: ['description'],
  },
  {
    name: 'POST /referrals/{id}/transitions (cancelled)',
    schema: ReferralTransitionBody(),
    sample: { to: 'cancelled', reason: 'Le client renonce aux travaux' },
    multiLine: [],
  },
  {
    name: 'POST /referrals/{id}/attachments',
    schema: AttachmentBody(),
    sample: { name: 'plan.pdf', contentType: 'application/pdf', bytes: 1_000 },
    multiLine: [],
  },
  { name: 'POST /r/{token}/decline (form)', schema: OfferDeclineForm(), sample: { reason: 'Équipes prises' }, multiLine: ['reason'] },
];

/** Every string leaf of a sample, as [path, value]. */
function stringLeaves(value: unknown, path: readonly (string | number)[] = []): [string, string][] {
  if (typeof value === 'string') return [[path.join('.'), value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringLeaves(v, [...path, i]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => stringLeaves(v, [...path, k]));
  return [];
}

function withValue(sample: unknown, path: string, value: string): unknown {
  const copy = structuredClone(sample) as Record<string, unknown>;
  const segments = path.split('.');
  let at: Record<string, unknown> = copy;
  for (const segment of segments.slice(0, -1)) at = at[segment] as Record<string, unknown>;
  at[segments.at(-1)!] = value;
  return copy;
}

function refusedPaths(schema: z.ZodMiniType, body: unknown): string[] {
  try {
    parseWith(schema, body);
    return [];
  } catch (error) {
    if (error instanceof ValidationError) return error.errors.map((e) => e.path);
    throw error;
  }
}

const controls: readonly [string, string][] = [
  ['NUL', '\u0000'],
  ['LF', '\n'],
  ['CR', '\r'],
  ['CRLF', '\r\n'],
  ['TAB', '\t'],
  ['BEL', '\u0007'],
  ['ESC', '\u001b'],
  ['DEL', '\u007f'],
  ['NEL (C1)', '\u0085'],
  ['LINE SEPARATOR', '\u2028'],
];
const allowedInMultiLine = new Set(['LF', 'CR', 'CRLF']);

describe.each(cases)('$name', ({ schema, sample, multiLine }) => {
  const leaves = stringLeaves(sample);

  it('accepts the valid sample', () => {
    expect(refusedPaths(schema, sample)).toEqual([]);
    expect(leaves.length).toBeGreaterThan(0);
  });

  const rows = leaves.flatMap(([path, value]) => controls.map(([label, control]) => ({ path, value, label, control })));
  it.each(rows)('$path with $label', ({ path, value, label, control }) => {
    const middle = `${value.slice(0, 1)}${control}${value.slice(1)}`;
    const end = `${value}${control}`;
    if (multiLine.includes(path) && allowedInMultiLine.has(label)) {
      for (const text of [middle, end]) expect(refusedPaths(schema, withValue(sample, path, text))).toEqual([]);
      const parsed = schema.parse(withValue(sample, path, middle)) as Record<string, unknown>;
      const stored = path.split('.').reduce<unknown>((at, segment) => (at as Record<string, unknown>)[segment], parsed) as string;
      expect(stored).not.toMatch(/\r/); // CRLF and CR become LF
      expect(stored).toContain('\n');
    } else {
      for (const text of [middle, end]) expect(refusedPaths(schema, withValue(sample, path, text))).toContain(path);
    }
  });
});

it('names the field with a readable message', () => {
  const error = (() => {
    try {
      parseWith(CreateQuoteBody(), withValue(cases[0]!.sample, 'siteAddress.city', 'Nantes\r\nBcc: x@example.org'));
    } catch (e) {
      return e as ValidationError;
    }
    throw new Error('accepted');
  })();
  expect(error.errors).toEqual([
    { path: 'siteAddress.city', message: 'must be a single line without control characters (CR, LF, tab, NUL…)' },
  ]);
});
