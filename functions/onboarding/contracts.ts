/** The onboarding routes' contracts: validated by the handlers, published in the OpenAPI document. */
import { contractsOf } from '../shared/http.ts';
import { routes } from './routes.ts';
import { Page } from '../shared/schemas.ts';
import {
  Client,
  ClientParams,
  CreateClientBody,
  CreateEntrepreneurBody,
  CreateEtdBody,
  CreatePartnerBody,
  Entrepreneur,
  EntrepreneurParams,
  Etd,
  CaeParams,
  EtdParams,
  PatchCaeLegalBody,
  HistoryEntry,
  ListClientsQuery,
  ListEntrepreneursQuery,
  ListPartnersQuery,
  PageQuery,
  Partner,
  PartnerParams,
  PatchEntrepreneurBody,
  PublicEntrepreneur,
  PublicEntrepreneursQuery,
  TransitionBody,
} from './schemas.ts';

const contract = /* @__PURE__ */ contractsOf(routes);

export const createEtd = /* @__PURE__ */ contract({
  route: 'POST /etds',
  body: CreateEtdBody,
  success: { status: 201, schema: Etd, description: 'The territory, opened' },
  errors: { 409: 'A territory with this code already exists' },
});

export const listEtds = /* @__PURE__ */ contract({
  route: 'GET /etds',
  query: PageQuery,
  success: { status: 200, schema: () => Page(Etd()), description: 'A page of territories' },
});

export const getEtd = /* @__PURE__ */ contract({
  route: 'GET /etds/{code}',
  params: EtdParams,
  success: { status: 200, schema: Etd, description: 'The territory' },
});

export const updateCaeLegal = /* @__PURE__ */ contract({
  route: 'PATCH /etds/{code}/caes/{cae}',
  params: CaeParams,
  body: PatchCaeLegalBody,
  success: { status: 200, schema: Etd, description: 'The territory, at its new version' },
  errors: { 412: 'Stale version: read the territory again' },
});

export const createEntrepreneur = /* @__PURE__ */ contract({
  route: 'POST /entrepreneurs',
  body: CreateEntrepreneurBody,
  success: { status: 201, schema: Entrepreneur, description: 'The entrepreneur, in state applied' },
  errors: { 409: 'An entrepreneur with this e-mail address already exists in the territory' },
});

export const listEntrepreneurs = /* @__PURE__ */ contract({
  route: 'GET /entrepreneurs',
  query: ListEntrepreneursQuery,
  success: { status: 200, schema: () => Page(Entrepreneur()), description: 'A page of entrepreneurs' },
});

export const getEntrepreneur = /* @__PURE__ */ contract({
  route: 'GET /entrepreneurs/{id}',
  params: EntrepreneurParams,
  success: { status: 200, schema: Entrepreneur, description: 'The entrepreneur' },
});

export const updateEntrepreneur = /* @__PURE__ */ contract({
  route: 'PATCH /entrepreneurs/{id}',
  params: EntrepreneurParams,
  body: PatchEntrepreneurBody,
  success: { status: 200, schema: Entrepreneur, description: 'The entrepreneur, at its new version' },
  errors: {
    403: 'The role may not call this route, or an entrepreneur changes a field only staff may change',
    409: 'The e-mail address is taken in the territory',
    412: 'Stale version: read the entrepreneur again',
  },
});

export const transitionEntrepreneur = /* @__PURE__ */ contract({
  route: 'POST /entrepreneurs/{id}/transitions',
  params: EntrepreneurParams,
  body: TransitionBody,
  success: { status: 200, schema: Entrepreneur, description: 'The entrepreneur, in its new state' },
  errors: { 409: 'The transition is not allowed from the current state, or the entrepreneur changed meanwhile' },
});

export const entrepreneurHistory = /* @__PURE__ */ contract({
  route: 'GET /entrepreneurs/{id}/history',
  params: EntrepreneurParams,
  query: PageQuery,
  success: { status: 200, schema: () => Page(HistoryEntry()), description: 'A page of history entries, oldest first' },
});

export const publicEntrepreneurs = /* @__PURE__ */ contract({
  route: 'GET /public/entrepreneurs',
  query: PublicEntrepreneursQuery,
  success: { status: 200, schema: () => Page(PublicEntrepreneur()), description: 'A page of publicly listed entrepreneurs' },
});

export const createClient = /* @__PURE__ */ contract({
  route: 'POST /clients',
  body: CreateClientBody,
  success: { status: 201, schema: Client, description: 'The client' },
  errors: { 403: 'The role may not call this route, or the calling entrepreneur is not active' },
});

export const listClients = /* @__PURE__ */ contract({
  route: 'GET /clients',
  query: ListClientsQuery,
  success: { status: 200, schema: () => Page(Client()), description: 'A page of clients' },
});

export const getClient = /* @__PURE__ */ contract({
  route: 'GET /clients/{id}',
  params: ClientParams,
  success: { status: 200, schema: Client, description: 'The client' },
});

export const createPartner = /* @__PURE__ */ contract({
  route: 'POST /partners',
  body: CreatePartnerBody,
  success: { status: 201, schema: Partner, description: 'The partner company' },
  errors: { 409: 'A partner with this SIRET is already registered' },
});

export const listPartners = /* @__PURE__ */ contract({
  route: 'GET /partners',
  query: ListPartnersQuery,
  success: { status: 200, schema: () => Page(Partner()), description: 'A page of partner companies' },
});

export const getPartner = /* @__PURE__ */ contract({
  route: 'GET /partners/{id}',
  params: PartnerParams,
  success: { status: 200, schema: Partner, description: 'The partner company' },
});

export const getOwnPartner = /* @__PURE__ */ contract({
  route: 'GET /partners/me',
  success: { status: 200, schema: Partner, description: 'The calling partner company' },
  errors: { 404: 'No partner company is linked to this login' },
});

/** The JSON API contracts of the context (the OpenAPI document reads them all). */
export const contracts = {
  createEtd,
  listEtds,
  getEtd,
  updateCaeLegal,
  createEntrepreneur,
  listEntrepreneurs,
  getEntrepreneur,
  updateEntrepreneur,
  transitionEntrepreneur,
  entrepreneurHistory,
  publicEntrepreneurs,
  createClient,
  listClients,
  getClient,
  createPartner,
  listPartners,
  getPartner,
  getOwnPartner,
};
