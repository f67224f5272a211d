/**
 * The yearly tax-credit attestation (attestation fiscale annuelle, CGI 199 sexdecies; contents by
 * servicesalapersonne.gouv.fr, LEGAL-FR §1.6): for every client of a territory who paid a CAE in year
 * N for services à la personne (`sapEligible` invoices), one attestation per client and CAE, with the
 * provider's identity and SAP declaration (onboarding's CAE `sapDeclaration`), the client, the
 * interventions (entrepreneur's name and identifier, month, hours of the invoice lines in hours) and
 * the amount actually paid in N: payments received in N on those invoices minus refunds made in N,
 * net of what APA/PCH, pre-funded CESU and the avance immédiate financed (the payment's `funding`).
 * Invoices of N and N − 1 are looked at (an invoice of December paid in January counts in January's year).
 *
 * Numbered per CAE and year of the attestation (`AF-SAMAD44-2026-000001`, functions/shared/series.ts,
 * table `cesu`), immutable; the PDF's SHA-256 is committed with the number, the PDF stored after and
 * e-mailed to the client as a signed link (a client without e-mail is counted, not e-mailed). A re-run
 * issues nothing for a client whose attestation has the same amounts; when they changed, a corrected
 * attestation supersedes it and says so (« rectificative : remplace … »).
 */
import { randomUUID } from 'node:crypto';
import { loadInvoice } from '../invoices/index.ts';
import { caes, type Client, clientName, type Etd, loadClient, loadEntrepreneur, loadEtd } from '../onboarding/index.ts';
import type { Adapters } from '../shared/adapters.ts';
import { parisDate } from '../shared/clock.ts';
import { ConflictError, NotFoundError } from '../shared/errors.ts';
import { sha256 } from '../shared/hash.ts';
import { logger } from '../shared/observability.ts';
import { withSeriesTicket } from '../shared/series.ts';
import { presentAttestation } from './attestation-views.ts';
import { transact } from '../shared/transactions.ts';
import { type AttestationDocument, renderAttestationPdf } from './pdf.ts';
import {
  type AttestationRecord,
  attestationDocumentKey,
  attestationHeadPut,
  attestationPut,
  attestationStoredUpdate,
  attestationsOfClient,
  type MoneyFact,
  moneyOf,
  type SapInvoiceFact,
  sapInvoicesOf,
} from './store.ts';

type Ports = Pick<Adapters, 'documents' | 'mailer'>;

/** `AF-SAMAD44-2026`: the attestations (attestations fiscales) of a CAE of a territory for a year. */
export const attestationSeries = (cae: string, etd: string, year: number) => `AF-${cae}${etd}-${year}`;
/** How long the e-mailed link lives (S3 presigned links: 7 days at most); the coordinator can send a new one. */
export const ATTESTATION_LINK_TTL_SECONDS = 7 * 24 * 3600;

export interface ClientYear {
  readonly clientId: string;
  readonly cae: string;
  readonly invoices: readonly SapInvoiceFact[];
  readonly receivedCents: number;
  readonly fundedCents: number;
  /** Of `fundedCents`, the pre-funded CESU: named apart on the attestation, with what the client must declare. */
  readonly prefundedCesuCents: number;
  readonly paidCents: number;
}

/** The amounts of each client of a CAE for a year, from the invoices and their money facts. Pure. */
export function clientYears(
  cae: string,
  year: number,
  invoices: readonly SapInvoiceFact[],
  money: ReadonlyMap<string, readonly MoneyFact[]>,
): ClientYear[] {
  const byClient = new Map<string, { invoices: SapInvoiceFact[]; received: number; funded: number; prefunded: number }>();
  for (const invoice of invoices) {
    const inYear = (money.get(invoice.invoiceId) ?? []).filter((m) => m.on.startsWith(`${year}-`));
    if (inYear.length === 0) continue;
    const entry = byClient.get(invoice.clientId) ?? { invoices: [], received: 0, funded: 0, prefunded: 0 };
    entry.invoices.push(invoice);
    for (const m of inYear) {
      entry.received += m.amountCents;
      entry.funded += m.fundedCents;
      entry.prefunded += m.prefundedCesuCents ?? 0;
    }
    byClient.set(invoice.clientId, entry);
  }
  return [...byClient.entries()]
    .map(([clientId, e]) => ({
      clientId,
      cae,
      invoices: e.invoices,
      receivedCents: e.received,
      fundedCents: e.funded,
      prefundedCesuCents: e.prefunded,
      paidCents: e.received - e.funded,
    }))
    .filter((c) => c.paidCents > 0)
    .sort((a, b) => a.clientId.localeCompare(b.clientId));
}

const fingerprintOf = (c: ClientYear) => `${c.receivedCents}/${c.fundedCents}/${c.paidCents}`;

async function interventionsOf(
  invoices: readonly SapInvoiceFact[],
): Promise<{ interventions: AttestationDocument['interventions']; contact: AttestationDocument['contact'] }> {
  let contact: AttestationDocument['contact'] = { name: '' };
  let latest = '';
  const rows = new Map<string, { month: string; entrepreneur: string; entrepreneurId: string; hours: number }>();
  const names = new Map<string, string>();
  for (const fact of invoices) {
    const invoice = await loadInvoice(fact.invoiceId);
    const e = await loadEntrepreneur(fact.entrepreneurId);
    names.set(fact.entrepreneurId, `${e.firstName} ${e.lastName}`);
    if (fact.issuedOn >= latest) {
      latest = fact.issuedOn;
      contact = { name: `${e.firstName} ${e.lastName}`, email: e.email, phone: e.phone };
    }
    const month = (invoice.serviceDate || fact.issuedOn).slice(0, 7);
    const hours = invoice.lines.filter((l) => l.unit === 'h').reduce((s, l) => s + l.quantity, 0);
    const key = `${month}#${fact.entrepreneurId}`;
    const row = rows.get(key) ?? { month, entrepreneur: names.get(fact.entrepreneurId)!, entrepreneurId: fact.entrepreneurId, hours: 0 };
    row.hours = Math.round((row.hours + hours) * 100) / 100;
    rows.set(key, row);
  }
  return {
    interventions: [...rows.values()].sort((a, b) => a.month.localeCompare(b.month) || a.entrepreneur.localeCompare(b.entrepreneur)),
    contact,
  };
}

export interface AttestationRunResult {
  readonly year: number;
  readonly etd: string;
  readonly issued: ReturnType<typeof presentAttestation>[];
  readonly corrected: number;
  readonly unchanged: number;
}

/** Every attestation of a territory for a year: new ones, corrected ones; the unchanged left as they are. */
export async function issueAttestations(ports: Ports, etdCode: string, year: number, now: Date): Promise<AttestationRunResult> {
  const etd = await loadEtd(etdCode);
  const issued: ReturnType<typeof presentAttestation>[] = [];
  let corrected = 0;
  let unchanged = 0;
  for (const cae of caes) {
    const invoices = [...(await sapInvoicesOf(etdCode, cae, year - 1)), ...(await sapInvoicesOf(etdCode, cae, year))];
    const money = new Map<string, MoneyFact[]>();
    for (const invoice of invoices) money.set(invoice.invoiceId, await moneyOf(invoice.invoiceId));
    for (const client of clientYears(cae, year, invoices, money)) {
      const previous = (await attestationsOfClient(client.clientId))
        .filter((a) => a.year === year && a.cae === cae)
        .sort((a, b) => a.number.localeCompare(b.number))
        .at(-1);
      if (previous && previous.fingerprint === fingerprintOf(client)) {
        if (previous.documentPending) issued.push(await complete(ports, previous));
        else unchanged++;
        continue;
      }
      issued.push(await issueOne(ports, etd, client, year, previous, now));
      if (previous) corrected++;
    }
  }
  return { year, etd: etdCode, issued, corrected, unchanged };
}

async function issueOne(ports: Ports, etd: Etd, c: ClientYear, year: number, previous: AttestationRecord | undefined, now: Date) {
  const cae = c.cae === 'SAMAD' ? etd.caes.samad : etd.caes.msg;
  const client = await loadClient(c.clientId);
  const { interventions, contact } = await interventionsOf(c.invoices);
  const hours = Math.round(interventions.reduce((s, i) => s + i.hours, 0) * 100) / 100;
  const record = await withSeriesTicket(
    attestationSeries(c.cae, etd.code, year),
    now,
    async (ticket) => {
      const source: Omit<AttestationDocument, 'number'> = {
        year,
        issueDate: parisDate(ticket.at),
        provider: cae,
        territory: `${etd.code} — ${etd.name}`,
        contact,
        client: { name: clientName(client), address: client.address },
        interventions,
        receivedCents: c.receivedCents,
        fundedCents: c.fundedCents,
        ...(c.prefundedCesuCents ? { prefundedCesuCents: c.prefundedCesuCents } : {}),
        paidCents: c.paidCents,
        ...(previous ? { supersedes: previous.number } : {}),
      };
      const pdf = await renderAttestationPdf({ number: ticket.number, ...source });
      const record: AttestationRecord = {
        id: `att_${randomUUID().replaceAll('-', '').slice(0, 26)}`,
        number: ticket.number,
        etd: etd.code,
        cae: c.cae,
        clientId: c.clientId,
        year,
        paidCents: c.paidCents,
        hours,
        fingerprint: fingerprintOf(c),
        issuedAt: ticket.at.toISOString(),
        ...(previous ? { supersedes: previous.number } : {}),
        documentKey: attestationDocumentKey(c.cae, etd.code, ticket.number),
        documentSha256: sha256(pdf),
        documentPending: true,
        documentSource: source as unknown as Record<string, unknown>,
      };
      const head = ticket.writes.length + 1;
      await transact([...ticket.writes, attestationPut(record), attestationHeadPut(record, previous?.number)], (index) =>
        index === head
          ? new ConflictError('Another run issued this attestation meanwhile.')
          : new ConflictError('The number series changed meanwhile; try again.'),
      );
      return record;
    },
    'cesu',
  );
  return complete(ports, record, client);
}

/** Stores the committed PDF (re-rendered byte for byte when pending), then e-mails the client its link. */
async function complete(ports: Ports, a: AttestationRecord, loaded?: Client) {
  const pdf = await renderAttestationPdf({ number: a.number, ...(a.documentSource as unknown as Omit<AttestationDocument, 'number'>) });
  if (sha256(pdf) !== a.documentSha256) throw new Error(`the attestation ${a.number} renders other bytes than those committed`);
  await ports.documents.put(a.documentKey, pdf, 'application/pdf');
  await transact([attestationStoredUpdate(a)], () => new NotFoundError('The attestation vanished.'));
  const client = loaded ?? (await loadClient(a.clientId));
  let emailed = false;
  if (client.email) {
    try {
      const link = await ports.documents.link(a.documentKey, {
        ttlSeconds: ATTESTATION_LINK_TTL_SECONDS,
        fileName: `Attestation fiscale ${a.year} ${a.number}.pdf`,
      });
      const greeting = client.kind === 'individual' ? `Bonjour ${client.firstName} ${client.lastName},` : 'Bonjour,';
      await ports.mailer.send({
        to: client.email,
        subject: a.supersedes
          ? `Attestation fiscale ${a.year} rectificative (services à la personne)`
          : `Votre attestation fiscale ${a.year} (services à la personne)`,
        text: [
          greeting,
          '',
          a.supersedes
            ? `Voici votre attestation fiscale ${a.year} rectificative (n° ${a.number}) : elle remplace l’attestation n° ${a.supersedes}, dont les montants ont changé.`
            : `Voici votre attestation fiscale ${a.year} (n° ${a.number}) pour les services à la personne dont vous avez bénéficié.`,
          'Elle indique les sommes que vous avez acquittées et qui ouvrent droit au crédit d’impôt de 50 % (article 199 sexdecies du code général des impôts).',
          '',
          `Téléchargez-la ici (lien valable jusqu’au ${link.expiresAt.slice(0, 10).split('-').reverse().join('/')}) :`,
          link.url,
          '',
          'Conservez-la avec vos justificatifs fiscaux. Votre interlocuteur peut vous envoyer un nouveau lien à tout moment.',
          '',
          'L’équipe Oui Ensemble',
        ].join('\n'),
      });
      emailed = true;
    } catch (error) {
      logger.warn('tax attestation e-mail not sent', { number: a.number, error: (error as Error).name });
    }
  }
  return { ...presentAttestation({ ...a, documentPending: undefined }), emailed };
}
