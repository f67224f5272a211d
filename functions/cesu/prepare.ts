/**
 * Preparing a month's CESU declaration: computed from the employer's file, the hours and the
 * parameter table in force, its summary PDF rendered and stored. Apart from declarations.ts so that
 * only the function that prepares a declaration bundles the PDF engine.
 */
import type { Out } from '../shared/contract.ts';
import { cesuRegimeOf } from './domain/regime.ts';
import { clientName, loadClient, loadEntrepreneur, loadEtd } from '../onboarding/index.ts';
import type { Adapters } from '../shared/adapters.ts';
import type { Principal } from '../shared/auth.ts';
import { addDays, parisDate } from '../shared/clock.ts';
import { ConflictError, ValidationError } from '../shared/errors.ts';
import { sha256 } from '../shared/hash.ts';
import { transact } from '../shared/transactions.ts';
import {
  computeDeclaration,
  DeclarationRefused,
  deadlineOf,
  type EmployerFacts,
  monthHours,
  type WorkerMonthInput,
} from './domain/declaration.ts';
import { renderDeclarationPdf } from './pdf.ts';
import { parametersAt } from './rates.ts';
import type { DeclarationBody } from './schemas.ts';
import {
  type DeclarationRecord,
  declarationDocumentKey,
  declarationPut,
  declarationsOf,
  type EmployerRecord,
  employerExists,
  findDeclaration,
  workersOf,
} from './store.ts';
import { notFound, presentDeclaration, submittedConflict, visibleEmployer } from './declarations.ts';

type DeclarationPorts = Pick<Adapters, 'documents'>;

const exemptionText: Record<EmployerRecord['exemption']['kind'], string> = {
  none: 'Sans exonération',
  'aged-70': 'Employeur de 70 ans et plus',
  'apa-pch-disability': 'Bénéficiaire APA / PCH / invalidité',
};

const refusal = (error: unknown): never => {
  if (error instanceof DeclarationRefused) throw new ValidationError([{ path: error.field, message: error.message }]);
  throw error;
};

const facts = (e: EmployerRecord): EmployerFacts => ({
  exemption: e.exemption.kind === 'none' || !e.exemption.from ? { kind: 'none' } : { kind: e.exemption.kind, from: e.exemption.from },
  alsaceMoselle: e.alsaceMoselle,
  overseas: cesuRegimeOf(e.etd) === 'overseas',
});

/** Prepares (or prepares again, while not submitted) the declaration of a month: computed, its summary PDF stored. */
export async function prepareDeclaration(
  ports: DeclarationPorts,
  principal: Principal,
  clientId: string,
  period: string,
  body: Out<typeof DeclarationBody>,
  now: Date,
) {
  const employer = await visibleEmployer(principal, clientId);
  const existing = await findDeclaration(clientId, period);
  if (existing && existing.state !== 'prepared') throw submittedConflict(period, existing.state);
  const today = parisDate(now);
  if (period > today.slice(0, 7)) throw new ValidationError([{ path: 'period', message: 'must not be a month in the future' }]);
  const workers = new Map((await workersOf(clientId)).map((w) => [w.id, w]));
  // The days declared in the months around: a week across two months is at most 48 h too.
  const [before, after] = [addDays(`${period}-01`, -1).slice(0, 7), addDays(`${period}-28`, 7).slice(0, 7)];
  const around = (await declarationsOf(clientId)).filter((d) => d.period === before || d.period === after);
  const neighbourDays = (workerId: string) =>
    around.flatMap((d) => d.input.filter((i) => i.workerId === workerId).flatMap((i) => ('days' in i.hours ? i.hours.days : [])));
  const seen = new Set<string>();
  const inputs: WorkerMonthInput[] = [];
  const stored: DeclarationRecord['input'][number][] = [];
  body.workers.forEach((entry, i) => {
    const worker = workers.get(entry.workerId);
    if (!worker) throw new ValidationError([{ path: `workers.${i}.workerId`, message: 'is not a worker of this employer' }]);
    if (seen.has(worker.id)) throw new ValidationError([{ path: `workers.${i}.workerId`, message: 'is declared twice' }]);
    seen.add(worker.id);
    if (worker.startDate > `${period}-31`)
      throw new ValidationError([{ path: `workers.${i}.workerId`, message: `starts after ${period}` }]);
    const hoursInput = entry.days ? { days: entry.days } : { hours: entry.hours ?? 0 };
    const hours = (() => {
      try {
        return monthHours(hoursInput, period, today, `workers.${i}`, neighbourDays(worker.id));
      } catch (error) {
        return refusal(error);
      }
    })();
    const netHourlyCents = entry.netHourlyCents ?? worker.netHourlyCents;
    inputs.push({
      workerId: worker.id,
      name: `${worker.firstName} ${worker.lastName}`,
      netHourlyCents,
      paidLeave: worker.paidLeave,
      hours,
      extraNetCents: entry.extraNetCents ?? 0,
    });
    stored.push({ workerId: worker.id, hours: hoursInput, extraNetCents: entry.extraNetCents ?? 0, netHourlyCents });
  });
  const parameters = parametersAt(`${period}-01`);
  const figures = (() => {
    try {
      return computeDeclaration(period, facts(employer), inputs, parameters);
    } catch (error) {
      return refusal(error);
    }
  })();
  const [client, coordinator, etd] = await Promise.all([
    loadClient(clientId),
    loadEntrepreneur(employer.coordinatorId),
    loadEtd(employer.etd),
  ]);
  const cae = coordinator.cae === 'SAMAD' ? etd.caes.samad : etd.caes.msg;
  const deadline = deadlineOf(period, Number(parameters.amounts.declarationDeadlineDay.value));
  const version = (existing?.version ?? 0) + 1;
  const pdf = await renderDeclarationPdf({
    issueDate: today,
    preparer: cae,
    territory: `${etd.code} — ${etd.name}`,
    coordinator: { name: `${coordinator.firstName} ${coordinator.lastName}`, email: coordinator.email, phone: coordinator.phone },
    employer: {
      name: clientName(client),
      address: client.address,
      cesuNumber: employer.cesuNumber,
      exemption: exemptionText[employer.exemption.kind],
    },
    deadline,
    figures,
  });
  const record: DeclarationRecord = {
    clientId,
    etd: employer.etd,
    period,
    state: 'prepared',
    deadline,
    input: stored,
    figures,
    parameters,
    documentKey: declarationDocumentKey(clientId, period, version),
    documentSha256: sha256(pdf),
    preparedAt: now.toISOString(),
    preparedBy: principal.sub,
    version,
  };
  // The PDF first (its key names the version): a failed commit leaves an unreferenced file, never a record without its PDF.
  await ports.documents.put(record.documentKey, pdf, 'application/pdf');
  await transact([employerExists(clientId), declarationPut(record, existing?.version)], (index) =>
    index === 0
      ? notFound(clientId)
      : new ConflictError(`The declaration of ${period} changed meanwhile (or was submitted); read it again.`),
  );
  return { created: !existing, declaration: presentDeclaration(record) };
}
