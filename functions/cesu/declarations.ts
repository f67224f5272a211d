/**
 * CESU of clients who employ at home: the employer file (a client, individual, registered as
 * particulier employeur with its coordinator), its home workers, and the monthly declarations
 * (prepared → submitted with the CESU reference → paid), each with its summary PDF and its export
 * in the order of the CESU form.
 *
 * Who: the employer file and everything in it is seen by its coordinator (an entrepreneur of the
 * territory), the territory's managers and operators; anyone else gets 404 (domain/access.ts).
 * Staff register the file; the coordinator and staff add workers and declare.
 */
import type { Out } from '../shared/contract.ts';
import { cesuRegimeOf } from './domain/regime.ts';
import { loadClient, loadEntrepreneur } from '../onboarding/index.ts';
import type { Adapters } from '../shared/adapters.ts';
import type { Principal } from '../shared/auth.ts';
import { parisDate } from '../shared/clock.ts';
import { ConflictError, NotFoundError, unlessNotFound, ValidationError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { transact } from '../shared/transactions.ts';
import { canAct, canRegister } from './domain/access.ts';
import type { EmployerBody, PaidBody, SubmitBody, WorkerBody } from './schemas.ts';
import {
  type DeclarationRecord,
  declarationsOf,
  type EmployerRecord,
  employerExists,
  employerPut,
  findDeclaration,
  findEmployer,
  table,
  type WorkerRecord,
  workerPut,
  workersOf,
} from './store.ts';
import { cesuPort, submissionOf } from './urssaf.ts';

export const notFound = (clientId: string) => new NotFoundError(`No CESU employer file for client ${clientId}.`);

/** The employer file the caller may act on, or 404 (absent and invisible alike). */
export async function visibleEmployer(principal: Principal, clientId: string): Promise<EmployerRecord> {
  const employer = await findEmployer(clientId);
  if (!employer || !canAct(principal, employer)) throw notFound(clientId);
  return employer;
}

export function presentEmployer(employer: EmployerRecord, workers: readonly WorkerRecord[]) {
  return { ...employer, workers };
}

export async function registerEmployer(principal: Principal, clientId: string, body: Out<typeof EmployerBody>, now: Date) {
  const client = await unlessNotFound(loadClient(clientId));
  if (!client || !canRegister(principal, client.etd)) throw new NotFoundError(`Client ${clientId} not found.`);
  if (client.kind !== 'individual') {
    throw new ValidationError([{ path: 'id', message: 'only an individual client can be a particulier employeur' }]);
  }
  if (cesuRegimeOf(client.etd) === 'unsupported') {
    throw new ValidationError([
      { path: 'id', message: 'Mayotte (976) has its own CESU minimum wage and rates, which this back office does not model yet' },
    ]);
  }
  const coordinator = await unlessNotFound(loadEntrepreneur(body.coordinatorId));
  if (!coordinator || coordinator.etd !== client.etd || coordinator.state !== 'active') {
    throw new ValidationError([{ path: 'coordinatorId', message: 'must be an active entrepreneur of the client’s territory' }]);
  }
  const existing = await findEmployer(clientId);
  const at = now.toISOString();
  const record: EmployerRecord = {
    clientId,
    etd: client.etd,
    coordinatorId: body.coordinatorId,
    cesuNumber: body.cesuNumber,
    birthYear: body.birthYear,
    exemption: body.exemption.kind === 'none' ? { kind: 'none' } : { kind: body.exemption.kind, from: body.exemption.from },
    alsaceMoselle: body.alsaceMoselle,
    version: (existing?.version ?? 0) + 1,
    createdAt: existing?.createdAt ?? at,
    createdBy: existing?.createdBy ?? principal.sub,
    updatedAt: at,
    updatedBy: principal.sub,
  };
  await transact([employerPut(record, existing?.version)], () => new ConflictError('The employer file changed meanwhile; try again.'));
  return { created: !existing, employer: presentEmployer(record, await workersOf(clientId)) };
}

export async function getEmployer(principal: Principal, clientId: string) {
  const employer = await visibleEmployer(principal, clientId);
  return presentEmployer(employer, await workersOf(clientId));
}

export async function addWorker(principal: Principal, clientId: string, body: Out<typeof WorkerBody>, now: Date): Promise<WorkerRecord> {
  const employer = await visibleEmployer(principal, clientId);
  const worker: WorkerRecord = { id: newId('wrk', now), clientId: employer.clientId, ...body, createdAt: now.toISOString() };
  await transact([employerExists(clientId), workerPut(worker)], () => new ConflictError('The employer file changed meanwhile; try again.'));
  return worker;
}

export const submittedConflict = (period: string, state: string) =>
  new ConflictError(`The declaration of ${period} is already ${state}: it never changes.`, {
    errors: [{ path: 'period', message: `the declaration of ${period} is already ${state}` }],
  });

type DeclarationPorts = Pick<Adapters, 'documents'>;

export function presentDeclaration(d: DeclarationRecord) {
  const { documentKey: _k, documentSha256: _s, input: _i, parameters: _p, preparedBy: _b, submittedBy: _sb, ...view } = d;
  return view;
}

async function visibleDeclaration(principal: Principal, clientId: string, period: string) {
  const employer = await visibleEmployer(principal, clientId);
  const declaration = await findDeclaration(clientId, period);
  if (!declaration) throw new NotFoundError(`No CESU declaration for ${period}.`);
  return { employer, declaration };
}

export async function getDeclaration(principal: Principal, clientId: string, period: string) {
  return presentDeclaration((await visibleDeclaration(principal, clientId, period)).declaration);
}

/** prepared → submitted: through the URSSAF port when connected, else with the reference cesu.urssaf.fr gave. */
export async function submitDeclaration(principal: Principal, clientId: string, period: string, body: Out<typeof SubmitBody>, now: Date) {
  const { employer, declaration } = await visibleDeclaration(principal, clientId, period);
  if (declaration.state !== 'prepared') throw submittedConflict(period, declaration.state);
  let reference = body.reference;
  let via: 'port' | 'manual' = 'manual';
  if (!reference) {
    const port = cesuPort();
    if (!port.connected) {
      throw new ValidationError([
        { path: 'reference', message: 'the URSSAF API is not connected: declare on cesu.urssaf.fr and give the reference it answers' },
      ]);
    }
    try {
      reference = (await port.submit(submissionOf(employer.cesuNumber, declaration.figures))).reference;
    } catch (error) {
      // URSSAF's answer, not ours: nothing is written; the coordinator corrects or declares by hand.
      throw new ConflictError(`URSSAF did not accept the declaration of ${period}: ${(error as Error).message}`);
    }
    via = 'port';
  }
  const next: DeclarationRecord = {
    ...declaration,
    state: 'submitted',
    reference,
    submittedVia: via,
    submittedAt: now.toISOString(),
    submittedBy: principal.sub,
    version: declaration.version + 1,
  };
  await transact([stateMove(next, 'prepared', declaration.version)], () => submittedConflict(period, 'submitted'));
  return presentDeclaration(next);
}

/** submitted → paid: URSSAF debited the employer. */
export async function markPaid(principal: Principal, clientId: string, period: string, body: Out<typeof PaidBody>, now: Date) {
  const { declaration } = await visibleDeclaration(principal, clientId, period);
  if (declaration.state !== 'submitted') {
    throw new ConflictError(`The declaration of ${period} is ${declaration.state}: only a submitted declaration can be paid.`);
  }
  if (body.paidOn > parisDate(now)) throw new ValidationError([{ path: 'paidOn', message: 'must not be in the future' }]);
  if (body.paidOn < `${period}-01`) throw new ValidationError([{ path: 'paidOn', message: `must not be before ${period}` }]);
  const next: DeclarationRecord = { ...declaration, state: 'paid', paidOn: body.paidOn, version: declaration.version + 1 };
  await transact(
    [stateMove(next, 'submitted', declaration.version)],
    () => new ConflictError(`The declaration of ${period} changed meanwhile.`),
  );
  return presentDeclaration(next);
}

function stateMove(next: DeclarationRecord, from: DeclarationRecord['state'], version: number) {
  return {
    Put: {
      TableName: table(),
      Item: { pk: `EMP#${next.clientId}`, sk: `DEC#${next.period}`, entity: 'cesu-declaration', ...next },
      ConditionExpression: '#state = :from AND version = :v',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':from': from, ':v': version },
    },
  };
}

export async function declarationPdfLink(ports: DeclarationPorts, principal: Principal, clientId: string, period: string) {
  const { declaration } = await visibleDeclaration(principal, clientId, period);
  return ports.documents.link(declaration.documentKey, { ttlSeconds: 300, fileName: `Récapitulatif Cesu ${period}.pdf` });
}

const euros = (cents: number) => (cents / 100).toFixed(2).replace('.', ',');
const hoursText = (hours: number) => String(hours).replace('.', ',');

/**
 * The declaration in the order the CESU form (cesu.urssaf.fr, « Déclarer ») asks for it, one block
 * per worker: employer number, period, employee, hours worked, net hourly wage (with the 10 % when
 * chosen), net pay, other net pay; then what URSSAF will compute (for checking).
 */
export async function exportDeclaration(principal: Principal, clientId: string, period: string) {
  const { employer, declaration } = await visibleDeclaration(principal, clientId, period);
  const workers = new Map((await workersOf(clientId)).map((w) => [w.id, w]));
  const [first, last] = [
    `${period}-01`,
    new Date(Date.UTC(Number(period.slice(0, 4)), Number(period.slice(5, 7)), 0)).toISOString().slice(0, 10),
  ];
  const blocks = declaration.figures.workers.map((w) => {
    const worker = workers.get(w.workerId);
    const fields: [string, string, string][] = [
      ['employerNumber', 'Numéro d’employeur Cesu', employer.cesuNumber],
      ['periodStart', 'Période d’emploi — du', first],
      ['periodEnd', 'Période d’emploi — au', last],
      ['employeeLastName', 'Nom du salarié', worker?.lastName ?? w.name],
      ['employeeFirstName', 'Prénom du salarié', worker?.firstName ?? ''],
      ['hours', 'Nombre d’heures travaillées', hoursText(w.hours)],
      ['netHourlyWage', 'Salaire horaire net (€)', euros(w.declaredNetHourlyCents)],
      ['paidLeaveIncluded', 'Dont 10 % de congés payés', w.paidLeave === 'plus-10' ? 'oui' : 'non'],
      ['netPay', 'Salaire net total (€)', euros(w.netCents)],
      ['otherNetPay', 'Autres éléments de rémunération nets (€)', euros(w.extraNetCents)],
      ['grossPay', 'Salaire brut reconstitué (€, pour contrôle)', euros(w.grossCents)],
    ];
    return { workerId: w.workerId, rows: fields.map(([field, label, value], i) => ({ order: i + 1, field, label, value })) };
  });
  const header = blocks[0]?.rows.map((r) => r.label) ?? [];
  const csv = [header, ...blocks.map((b) => b.rows.map((r) => r.value))]
    .map((row) => row.map((v) => (/[;"\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(';'))
    .join('\n');
  return { period, form: 'Cesu — déclaration mensuelle' as const, workers: blocks, csv };
}

// ---- Reminder ----------------------------------------------------------------------------------

export interface OpenDeclaration {
  readonly employer: EmployerRecord;
  readonly state: 'missing' | 'prepared';
}

/** The employers of a territory whose declaration of `period` is not submitted yet. */
export async function openDeclarations(employers: readonly EmployerRecord[], period: string): Promise<OpenDeclaration[]> {
  const open: OpenDeclaration[] = [];
  for (const employer of employers) {
    const d = (await declarationsOf(employer.clientId)).find((x) => x.period === period);
    if (!d) open.push({ employer, state: 'missing' });
    else if (d.state === 'prepared') open.push({ employer, state: 'prepared' });
  }
  return open;
}
