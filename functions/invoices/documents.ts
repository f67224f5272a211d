/**
 * What the invoice and credit-note documents are made from, and how a committed PDF is stored.
 * Shared by issuing (issue.ts) and crediting (credit-notes.ts); no PDF engine here.
 *
 * No stored document carries a number its series did not consume: a PDF is rendered in memory,
 * its SHA-256 committed with its number (the record keeps `documentPending` and what the PDF was
 * made from, `documentSource`), and only then stored under a key holding that number, by
 * `storeCommittedPdf`. Rendering is deterministic, so a PDF rendered again after a crash between
 * the commit and the store is the very one committed (checked against the SHA-256).
 */
import type { Adapters } from '../shared/adapters.ts';
import type { Principal } from '../shared/auth.ts';
import { NotFoundError, ValidationError } from '../shared/errors.ts';
import { insuranceProblem, type Problem } from '../shared/legal-rules.ts';
import { sapActivityLabel } from '../shared/sap.ts';
import { needsSapAuthorisation, sapAuthorisationProblem, sapDeclarationProblem, sapLines } from './domain/vat-rules.ts';
import { sapAuthorisationActivities } from './config.ts';
import { sha256 } from '../shared/hash.ts';
import { getEntrepreneur, loadClient, loadEntrepreneur, loadEtd } from '../onboarding/index.ts';
import { markDocumentStored, type InvoiceRecord } from './store.ts';
import type { DocumentSource, InvoiceDocument } from './views.ts';

export type { DocumentSource } from './views.ts';

/** Goods, services or both (e-invoicing mention), from the kinds of the lines: the shared rule. */
export { operationNature } from '../shared/pricing.ts';

/** The invoicing CAE of a territory: its legal identity as the footer prints it, and its whole record. */
function caeOf(etd: Awaited<ReturnType<typeof loadEtd>>, code: InvoiceRecord['cae']) {
  const cae = code === 'SAMAD' ? etd.caes.samad : etd.caes.msg;
  const { insurance: _i, sapDeclaration: _s, sapAuthorisation: _a, mediator: _m, payrollContactEmail: _p, ...issuer } = cae;
  return {
    /** The CAE's legal identity, as printed in the footer. */
    issuer,
    /** The CAE's record: its insurance and SAP declaration, checked and printed by edition 2. */
    cae,
  };
}

/**
 * The identities and names the document prints: the author as the caller sees it; the territory
 * and the client of the invoice loaded (the client must still be the author's, in the territory).
 */
export async function documentParties(principal: Principal, invoice: Pick<InvoiceRecord, 'etd' | 'cae' | 'entrepreneurId' | 'clientId'>) {
  const author = await getEntrepreneur(principal, invoice.entrepreneurId);
  const [etd, client] = await Promise.all([loadEtd(invoice.etd), loadClient(invoice.clientId)]);
  if (client.etd !== invoice.etd || client.entrepreneurId !== author.id) throw new NotFoundError(`Client ${invoice.clientId} not found.`);
  return {
    ...caeOf(etd, invoice.cae),
    territory: `${etd.name} (${etd.code})`,
    entrepreneur: { name: `${author.firstName} ${author.lastName}`, email: author.email, phone: author.phone },
    client:
      client.kind === 'company'
        ? { name: client.legalName, address: client.address, siret: client.siret, isCompany: true }
        : { name: `${client.firstName} ${client.lastName}`, address: client.address, isCompany: false },
    clientEmail: client.email,
  };
}

/** The parties of a document, as `documentParties` resolves them. */
export type DocumentParties = Awaited<ReturnType<typeof documentParties>>;

/**
 * The parties of an invoice drafted for a business client given on the invoice (`billTo`, e.g. a
 * partner company billed its referral commission: business.ts): the territory, the entrepreneur the
 * CAE invoices for, and the client as recorded.
 */
export async function billedParties(invoice: Pick<InvoiceRecord, 'etd' | 'cae' | 'entrepreneurId' | 'billTo'>): Promise<DocumentParties> {
  const client = invoice.billTo!;
  const [etd, author] = await Promise.all([loadEtd(invoice.etd), loadEntrepreneur(invoice.entrepreneurId)]);
  return {
    ...caeOf(etd, invoice.cae),
    territory: `${etd.name} (${etd.code})`,
    entrepreneur: { name: `${author.firstName} ${author.lastName}`, email: author.email, phone: author.phone },
    client: { name: client.legalName, address: client.address, siret: client.siret, isCompany: true },
    clientEmail: client.email,
  };
}

/**
 * The edition-2 mentions of an invoice or credit note: the CAE's insurance on works documents, the
 * SAP mentions. Refused (422 naming the field) when the law forbids issuing: a works document
 * without the CAE's insurance valid on its date; an SAP document without the CAE's declaration or
 * with a line that does not say its activity in hours; an SAP document with an activity for
 * elderly, disabled or dependent people without the CAE's agrément or autorisation valid on its date
 * (C. trav. L7232-1; CASF L313-1), which it then prints (D7233-1).
 */
export function editionTwoMentions(
  record: Pick<InvoiceRecord, 'pole' | 'sapEligible' | 'lines'>,
  parties: Awaited<ReturnType<typeof documentParties>>,
  issueDate: string,
): Pick<InvoiceDocument, 'edition' | 'issuerInsurance' | 'sap'> {
  const problems: Problem[] = [];
  // Works documents name their pole (drafts before it, and invoices for fees, are not works).
  const works = record.pole === 'renovation';
  if (works) {
    const insurance = insuranceProblem(parties.cae.insurance, issueDate);
    if (insurance) problems.push({ path: 'cae', message: insurance });
  }
  const sap = sapDeclarationProblem(record.sapEligible, parties.cae.sapDeclaration);
  if (sap) problems.push(sap);
  const authorised = record.sapEligible && needsSapAuthorisation(record.lines, sapAuthorisationActivities);
  if (authorised) {
    const authorisation = sapAuthorisationProblem(parties.cae.sapAuthorisation, issueDate);
    if (authorisation) problems.push({ path: 'cae', message: authorisation });
  }
  const lines = record.sapEligible ? sapLines(record.lines, sapActivityLabel) : [];
  if (record.sapEligible && lines.length !== record.lines.length)
    problems.push({ path: 'lines', message: 'an SAP document names the activity of each line, in hours (unit h)' });
  if (problems.length) throw new ValidationError(problems);
  return {
    edition: 2,
    ...(works ? { issuerInsurance: parties.cae.insurance } : {}),
    ...(record.sapEligible
      ? {
          sap: {
            declarationNumber: parties.cae.sapDeclaration!.number,
            declaredOn: parties.cae.sapDeclaration!.declaredOn,
            worker: parties.entrepreneur.name,
            ...(authorised ? { authorisation: parties.cae.sapAuthorisation } : {}),
            lines,
          },
        }
      : {}),
  };
}

export const sourceOf = ({ lines: _l, totals: _t, ...source }: InvoiceDocument): DocumentSource => source;

/** A record whose PDF was committed: where it goes, and the SHA-256 committed with its number. */
export interface CommittedPdf {
  readonly documentKey?: string | undefined;
  readonly document?: { readonly sha256: string } | undefined;
}

/**
 * After the commit: stores the PDF under its numbered key (the bytes rendered before the commit,
 * or rendered again: the same bytes, or an error), then clears `documentPending` on the record's
 * item (no version change: the flag only tells that the PDF is stored). Put is idempotent: the
 * same bytes under the same key.
 */
export async function storeCommittedPdf(
  ports: Pick<Adapters, 'documents'>,
  what: string,
  record: { invoice: string } | { creditNote: string },
  committed: CommittedPdf,
  pdf: Uint8Array,
): Promise<void> {
  if (!committed.documentKey || !committed.document) throw new Error(`${what} has no committed document`);
  if (sha256(pdf) !== committed.document.sha256) throw new Error(`${what}: the PDF rendered again differs from the one committed`);
  await ports.documents.put(committed.documentKey, pdf, 'application/pdf');
  await markDocumentStored(record);
}
