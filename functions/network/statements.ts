import type { Adapters } from '../shared/adapters.ts';
import type { Principal } from '../shared/auth.ts';
import { NotFoundError } from '../shared/errors.ts';
import { meterTerritory } from '../shared/metering.ts';
import type { Page, PageRequest } from '../shared/store.ts';
import { canSee, scopeOf } from './domain/access.ts';
import { type Period, parsePeriod } from './domain/periods.ts';
import { lineOf } from './domain/redevance.ts';
import { knownTerritory } from './rates.ts';
import { headOf, loadStatement, type StatementRecord, statementFactsPage, statementsPage } from './store.ts';

export const statementId = (etd: string, period: string) => `${etd}-${period}`;

function parseId(id: string): { etd: string; period: Period } {
  const at = id.indexOf('-');
  const period = parsePeriod(id.slice(at + 1));
  if (at < 0 || !period) throw new NotFoundError(`No redevance statement ${id}.`);
  return { etd: id.slice(0, at), period };
}

export async function statedFromOf(statement: StatementRecord): Promise<string> {
  return (await headOf(statement.etd))?.statedFrom ?? statement.from;
}

// ---- Reads ---------------------------------------------------------------------------------------------

const view = ({ documentKey: _k, documentSha256: _s, ...rest }: StatementRecord) => rest;

export async function getStatement(principal: Principal, id: string) {
  const { etd, period } = parseId(id);
  if (!canSee(principal, { etd })) throw new NotFoundError(`No redevance statement ${id}.`);
  meterTerritory(etd);
  return loadStatement(etd, period.from, period.id);
}

export const statementView = view;

export async function listStatements(
  principal: Principal,
  query: { etd?: string | undefined; from?: string | undefined; to?: string | undefined } & PageRequest,
): Promise<Page<ReturnType<typeof view>>> {
  if (query.etd) await knownTerritory(principal, query.etd, 'query.etd');
  const etd = scopeOf(principal, query.etd);
  meterTerritory(etd);
  const from = query.from ? parsePeriod(query.from)!.from : '0000-01-01';
  const to = query.to ? parsePeriod(query.to)!.from : '9999-12-31';
  const page = await statementsPage(etd, from, to, query);
  return { items: page.items.map(view), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
}

/** A page of the facts a statement counted, each with the line it went to: every amount traced to its invoice. */
export async function statementLines(principal: Principal, id: string, page: PageRequest) {
  const s = await getStatement(principal, id);
  const period = parsePeriod(s.period)!;
  const head = s.previousCutoff ? { lastCutoff: s.previousCutoff, statedFrom: await statedFromOf(s) } : undefined;
  const facts = await statementFactsPage(s.etd, { from: s.from, to: s.to, after: s.previousCutoff, until: s.cutoff }, page);
  const context = {
    etd: s.etd,
    period,
    versions: s.versions,
    cutoff: s.cutoff,
    previousCutoff: head?.lastCutoff,
    statedFrom: head?.statedFrom,
  };
  const items = facts.items.flatMap((f) => {
    const line = lineOf(f, context);
    if (!line) return [];
    return [
      {
        factId: f.factId,
        kind: f.kind,
        cae: f.cae,
        date: f.date,
        netCents: f.netCents,
        invoiceId: f.invoiceId,
        ...(f.number ? { number: f.number } : {}),
        recordedAt: f.recordedAt,
        line: { kind: line.kind, versionFrom: line.versionFrom, ...(line.regularises ? { regularises: line.regularises } : {}) },
      },
    ];
  });
  return { items, ...(facts.nextCursor ? { nextCursor: facts.nextCursor } : {}) };
}

export async function statementPdfLink(ports: Pick<Adapters, 'documents'>, principal: Principal, id: string) {
  const s = await getStatement(principal, id);
  return ports.documents.link(s.documentKey, { ttlSeconds: 300, fileName: `redevance-${s.id}.pdf` });
}
