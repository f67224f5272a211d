/** The CESU routes' contracts: validated by the handlers, published in the OpenAPI document. */
import { contractsOf } from '../shared/http.ts';
import { routes } from './routes.ts';
import { PdfLink } from '../shared/schemas.ts';
import {
  AttestationList,
  AttestationParams,
  AttestationRun,
  ClientParams,
  Declaration,
  DeclarationBody,
  DeclarationExport,
  DeclarationParams,
  Employer,
  EmployerBody,
  PaidBody,
  SubmitBody,
  Worker,
  WorkerBody,
} from './schemas.ts';

const contract = /* @__PURE__ */ contractsOf(routes);

const refusedDeclaration =
  'Invalid input, naming the field (`errors`): a wage below the minimum in force for the month (`workers.N.netHourlyCents`), more than 48 h a week (`workers.N.hours` / `workers.N.days.M.hours`), a month or a day in the future (`period`, `workers.N.days.M.date`), a worker not of this employer';

export const registerEmployer = /* @__PURE__ */ contract({
  route: 'PUT /clients/{id}/cesu-employer',
  params: ClientParams,
  body: EmployerBody,
  success: { status: 200, schema: Employer, description: 'The employer file (created or updated), with its workers' },
  errors: { 409: 'The employer file changed meanwhile' },
});

export const getEmployer = /* @__PURE__ */ contract({
  route: 'GET /clients/{id}/cesu-employer',
  params: ClientParams,
  success: { status: 200, schema: Employer, description: 'The employer file with its workers' },
});

export const addWorker = /* @__PURE__ */ contract({
  route: 'POST /clients/{id}/cesu-workers',
  params: ClientParams,
  body: WorkerBody,
  success: { status: 201, schema: Worker, description: 'The home worker, added to the employer file' },
  errors: { 409: 'The employer file changed meanwhile' },
});

export const prepareDeclaration = /* @__PURE__ */ contract({
  route: 'PUT /clients/{id}/cesu-declarations/{period}',
  params: DeclarationParams,
  body: DeclarationBody,
  success: { status: 200, schema: Declaration, description: 'The declaration of the month, prepared (computed, its summary PDF stored)' },
  errors: {
    400: refusedDeclaration,
    409: 'The declaration of the month is already submitted or paid (`errors` names `period`), or changed meanwhile',
  },
});

export const getDeclaration = /* @__PURE__ */ contract({
  route: 'GET /clients/{id}/cesu-declarations/{period}',
  params: DeclarationParams,
  success: { status: 200, schema: Declaration, description: 'The declaration of the month' },
});

export const submitDeclaration = /* @__PURE__ */ contract({
  route: 'POST /clients/{id}/cesu-declarations/{period}/submit',
  params: DeclarationParams,
  body: SubmitBody,
  success: { status: 200, schema: Declaration, description: 'The declaration, submitted with its CESU reference' },
  errors: {
    400: 'Invalid input, or no `reference` while the URSSAF API is not connected (`errors` names `reference`)',
    409: 'The declaration is already submitted or paid (`errors` names `period`), or URSSAF (through the port) refused it: its reason is in `detail`',
  },
});

export const markPaid = /* @__PURE__ */ contract({
  route: 'POST /clients/{id}/cesu-declarations/{period}/paid',
  params: DeclarationParams,
  body: PaidBody,
  success: { status: 200, schema: Declaration, description: 'The declaration, paid (URSSAF debited the employer)' },
  errors: { 409: 'The declaration is not submitted, or already paid' },
});

export const declarationPdfLink = /* @__PURE__ */ contract({
  route: 'GET /clients/{id}/cesu-declarations/{period}/pdf',
  params: DeclarationParams,
  success: {
    status: 200,
    schema: PdfLink,
    description: 'A link (five minutes) to the summary PDF « récapitulatif — le bulletin de salaire officiel est délivré par le Cesu »',
  },
});

export const exportDeclaration = /* @__PURE__ */ contract({
  route: 'GET /clients/{id}/cesu-declarations/{period}/export',
  params: DeclarationParams,
  success: {
    status: 200,
    schema: DeclarationExport,
    description: 'The declaration in the order of the CESU form, per worker, and as `;`-separated text',
  },
});

export const issueAttestations = /* @__PURE__ */ contract({
  route: 'POST /etds/{code}/tax-attestations/{year}',
  params: AttestationParams,
  success: {
    status: 200,
    schema: AttestationRun,
    description: 'The attestations issued (new or corrected) for the year; those whose amounts did not change are counted in `unchanged`',
  },
  errors: { 409: 'Another run issued an attestation meanwhile; run again', 503: 'The number series is busy; try again' },
});

export const listAttestations = /* @__PURE__ */ contract({
  route: 'GET /clients/{id}/tax-attestations',
  params: ClientParams,
  success: {
    status: 200,
    schema: AttestationList,
    description: 'The client’s tax-credit attestations, each with a link (five minutes) to its PDF',
  },
});

/** The JSON API contracts of the context (the OpenAPI document reads them all). */
export const contracts = {
  registerEmployer,
  getEmployer,
  addWorker,
  prepareDeclaration,
  getDeclaration,
  submitDeclaration,
  markPaid,
  declarationPdfLink,
  exportDeclaration,
  issueAttestations,
  listAttestations,
};
