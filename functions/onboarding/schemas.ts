/** Onboarding contract: request and response shapes of territories, entrepreneurs, clients, partners. */
import * as z from '../shared/zod.ts';
import {
  Address,
  Audit,
  Cents,
  Cursor,
  Email,
  EtdCode,
  Id,
  IsoDate,
  Limit,
  Phone,
  Siret,
  Version,
  isSingleLine,
  lazy,
  multiLine,
  singleLine,
} from '../shared/schemas.ts';
import { parisYear } from '../shared/clock.ts';
import { entrepreneurStates } from './domain/entrepreneur.ts';
import { isValidSiret, vatNumberMatchesSiren } from '../shared/identifiers.ts';
import { rgeDomains, trades } from './domain/partner.ts';

// ---- Territories (ETD) and their two CAEs --------------------------------------------------

export const Cae = /* @__PURE__ */ lazy(() =>
  z
    .strictObject({
      legalName: singleLine(120),
      siret: Siret(),
      vatNumber: z.string().check(z.regex(/^FR[0-9A-Z]{2}\d{9}$/, 'must be a French VAT number (FR + key + SIREN)')),
      address: Address(),
      legalForm: singleLine(80),
      shareCapitalCents: Cents(),
      rcs: singleLine(80),
      /** Who the payroll reminders of the CAE go to (the monthly job's « bulletins à émettre »); none, none sent. */
      payrollContactEmail: z.optional(Email()),
      /**
       * The CAE's professional insurance (loi 96-603 art. 22-2; décennale for building works, C. assur.
       * L243-2): printed on its quotes and invoices of works. Optional on the record; a works quote or
       * invoice cannot be sent or issued without a policy valid on that day.
       */
      insurance: z.optional(
        z.strictObject({
          insurer: singleLine(120),
          insurerAddress: Address(),
          policyNumber: singleLine(60),
          coverage: singleLine(200).check(z.describe('Geographic coverage of the policy, e.g. "France métropolitaine"')),
          validFrom: IsoDate(),
          validUntil: IsoDate(),
        }),
      ),
      /**
       * The CAE's declaration of services à la personne (C. trav. L7232-1-1, D7233-1): its number (SAP + SIREN)
       * and date, printed on every SAP invoice and on the yearly tax-credit attestation.
       */
      sapDeclaration: z.optional(
        z.strictObject({
          number: z.string().check(z.regex(/^SAP\d{9}$/, 'must be SAP followed by the 9 digits of the SIREN')),
          declaredOn: IsoDate(),
        }),
      ),
      /**
       * The CAE's licence for services to elderly, disabled or dependent people: the State's agrément
       * (C. trav. L7232-1, the préfet) or the département's autorisation of a home-help service (CASF
       * L313-1, the conseil départemental). Printed next to the SAP declaration (D7233-1) on SAP invoices
       * with such an activity and on the tax-credit attestation; without one valid on the invoice's
       * date, such an invoice is not issued and those activities are not billed at 5.5 %.
       */
      sapAuthorisation: z.optional(
        z.strictObject({
          kind: z.enum(['agrement', 'autorisation'], 'must be agrement (the préfet’s) or autorisation (the département’s)'),
          number: singleLine(60),
          grantedOn: IsoDate(),
          validUntil: z.optional(IsoDate()),
          issuer: singleLine(120).check(
            z.describe(
              'Who granted it, as printed after « délivré(e) par »: « le préfet de la Loire-Atlantique », « le président du conseil départemental de la Vendée »',
            ),
          ),
        }),
      ),
      /** The consumer mediator the CAE adheres to (C. conso L612-1, L211-3), printed on quotes and pages for individuals. */
      mediator: z.optional(
        z.strictObject({
          name: singleLine(120),
          // Checked for control characters first: the URL parser would silently drop a tab or a line feed.
          website: z.pipe(
            z
              .string()
              .check(z.maxLength(300), z.refine(isSingleLine, { message: 'must be one line without control characters', abort: true })),
            z.url({ protocol: /^https$/, error: 'must be an https URL' }),
          ),
        }),
      ),
    })
    .check(
      z.superRefine((cae, ctx) => {
        if (isValidSiret(cae.siret) && !vatNumberMatchesSiren(cae.vatNumber, cae.siret.slice(0, 9))) {
          ctx.addIssue({ code: 'custom', path: ['vatNumber'], message: 'does not match the SIREN of the SIRET (FR + key + SIREN)' });
        }
        if (cae.insurance && cae.insurance.validUntil <= cae.insurance.validFrom) {
          ctx.addIssue({ code: 'custom', path: ['insurance', 'validUntil'], message: 'must be after validFrom' });
        }
        if (cae.sapAuthorisation?.validUntil !== undefined && cae.sapAuthorisation.validUntil <= cae.sapAuthorisation.grantedOn) {
          ctx.addIssue({ code: 'custom', path: ['sapAuthorisation', 'validUntil'], message: 'must be after grantedOn' });
        }
        if (cae.sapDeclaration && isValidSiret(cae.siret) && cae.sapDeclaration.number !== `SAP${cae.siret.slice(0, 9)}`) {
          ctx.addIssue({ code: 'custom', path: ['sapDeclaration', 'number'], message: 'must be SAP followed by the SIREN of the CAE' });
        }
      }),
    ),
);

export type Cae = z.output<ReturnType<typeof Cae>>;

export const CreateEtdBody = /* @__PURE__ */ lazy(() =>
  z.strictObject({
    code: EtdCode(),
    name: singleLine(80),
    caes: z.strictObject({ samad: Cae(), msg: Cae() }),
  }),
);

export const Etd = /* @__PURE__ */ lazy(() => z.object({ ...CreateEtdBody().shape, ...Audit() }));
export type Etd = z.output<ReturnType<typeof Etd>>;

export const EtdParams = /* @__PURE__ */ lazy(() => z.object({ code: EtdCode() }));

/** A CAE of a territory: `SAMAD` or `MSG`, as in `/etds/{code}/caes/{cae}/payroll-settings`. */
export const CaeParams = /* @__PURE__ */ lazy(() => z.object({ code: EtdCode(), cae: z.enum(['SAMAD', 'MSG'], 'must be SAMAD or MSG') }));

/**
 * The legal data of a CAE that change over its life (its insurance renews every year): the fields
 * named replace the current ones; the others stay. Checked as the whole CAE record is.
 */
export const PatchCaeLegalBody = /* @__PURE__ */ lazy(() =>
  z
    .strictObject({
      version: Version().check(z.describe('The territory’s current version')),
      insurance: z.optional(Cae().shape.insurance.def.innerType),
      sapDeclaration: z.optional(Cae().shape.sapDeclaration.def.innerType),
      sapAuthorisation: z.optional(Cae().shape.sapAuthorisation.def.innerType),
      mediator: z.optional(Cae().shape.mediator.def.innerType),
    })
    .check(z.refine((patch) => Object.keys(patch).length > 1, { message: 'name at least one field to change besides version' })),
);
export const PageQuery = /* @__PURE__ */ lazy(() => z.strictObject({ limit: Limit(), cursor: Cursor() }));

// ---- Entrepreneurs ---------------------------------------------------------------------------

export const caes = ['SAMAD', 'MSG'] as const;
/** The name of one of a territory's two CAEs (`etd.caes.samad` / `etd.caes.msg`). */
export type CaeName = (typeof caes)[number];
export const statuses = ['volunteer', 'salaried', 'designer'] as const;
export const competences = ['developer', 'recruiter', 'trainer', 'tutor', 'coordinator'] as const;
export const poles = ['autonomy', 'home-services', 'renovation'] as const;
export type Pole = (typeof poles)[number];

const uniqueList = <T extends z.ZodMiniType>(item: T, max: number) =>
  z.array(item).check(
    z.minLength(1, 'must hold at least one value'),
    z.maxLength(max),
    z.refine((list) => new Set(list).size === list.length, 'must not repeat a value'),
  );

/** The year in Paris: from 23:00 UTC on 31 December, France is already in the next one. */
const currentYear = () => parisYear(new Date());

export const PublicProfile = /* @__PURE__ */ lazy(() =>
  z.strictObject({
    headline: singleLine(120),
    missions: multiLine(1000),
    visible: z.boolean(),
  }),
);

const entrepreneurFields = () => ({
  cae: z.enum(caes),
  firstName: singleLine(60),
  lastName: singleLine(60),
  email: Email(),
  phone: Phone(),
  birthYear: z.number().check(
    z.int(),
    z.refine((y) => y >= currentYear() - 100 && y <= currentYear() - 16, 'must be a plausible birth year (aged 16 to 100)'),
  ),
  status: z.enum(statuses),
  competences: uniqueList(z.enum(competences), competences.length),
  poles: uniqueList(z.enum(poles), poles.length),
  hourlyRateCents: z.optional(Cents().check(z.lte(100_000, 'must be at most 1 000 € per hour'))),
  publicProfile: z.optional(PublicProfile()),
});

export const CreateEntrepreneurBody = /* @__PURE__ */ lazy(() => z.strictObject({ etd: EtdCode(), ...entrepreneurFields() }));

/** Fields an entrepreneur may change on itself; staff may also change `cae` and `status`. */
export const selfEditable = [
  'firstName',
  'lastName',
  'email',
  'phone',
  'birthYear',
  'competences',
  'poles',
  'hourlyRateCents',
  'publicProfile',
] as const;

export const PatchEntrepreneurBody = /* @__PURE__ */ lazy(() =>
  z
    .strictObject({
      version: Version(),
      ...z.partial(z.object(entrepreneurFields())).shape,
    })
    .check(z.refine((patch) => Object.keys(patch).length > 1, { message: 'name at least one field to change besides version' })),
);

export const TransitionBody = /* @__PURE__ */ lazy(() =>
  z.strictObject({
    to: z.enum(entrepreneurStates),
    reason: z.optional(singleLine(500)),
  }),
);

export const Entrepreneur = /* @__PURE__ */ lazy(() =>
  z.object({
    id: z.string(),
    etd: z.string(),
    ...entrepreneurFields(),
    state: z.enum(entrepreneurStates),
    ...Audit(),
  }),
);
export type Entrepreneur = z.output<ReturnType<typeof Entrepreneur>>;

/** An active entrepreneur as the monthly jobs read it (no contact details). */
export interface ActiveEntrepreneur {
  readonly id: string;
  readonly etd: string;
  readonly cae: CaeName;
  readonly competences: Entrepreneur['competences'];
  readonly firstName: string;
  readonly lastName: string;
}

export const PublicEntrepreneur = /* @__PURE__ */ lazy(() =>
  z.object({
    id: z.string(),
    etd: z.string(),
    cae: z.enum(caes),
    displayName: z.string().check(z.describe('First name and initial of the last name')),
    headline: z.string(),
    missions: z.string(),
    competences: z.array(z.enum(competences)),
    poles: z.array(z.enum(poles)),
    hourlyRateCents: z.optional(z.number().check(z.int())),
  }),
);

export const IdParams = (prefix: string) => z.object({ id: Id(prefix) });
export const EntrepreneurParams = /* @__PURE__ */ lazy(() => IdParams('ent'));

export const ListEntrepreneursQuery = /* @__PURE__ */ lazy(() =>
  z.strictObject({
    etd: z.optional(EtdCode()),
    state: z.optional(z.enum(entrepreneurStates)),
    limit: Limit(),
    cursor: Cursor(),
  }),
);

export const PublicEntrepreneursQuery = /* @__PURE__ */ lazy(() =>
  z.strictObject({
    etd: z.optional(EtdCode()),
    competence: z.optional(z.enum(competences)),
    pole: z.optional(z.enum(poles)),
    limit: Limit(),
    cursor: Cursor(),
  }),
);

export const HistoryEntry = /* @__PURE__ */ lazy(() =>
  z.object({
    version: z.number().check(z.int()),
    at: z.string(),
    by: z.object({ sub: z.string(), role: z.string() }),
    action: z.enum(['created', 'updated', 'transition']),
    fields: z.optional(z.array(z.string())),
    from: z.optional(z.string()),
    to: z.optional(z.string()),
    reason: z.optional(z.string()),
  }),
);

// ---- Clients -------------------------------------------------------------------------------

const clientCommon = () => ({
  etd: EtdCode(),
  entrepreneurId: z.optional(Id('ent')).check(z.describe('The entrepreneur in charge; required when a manager registers the client')),
  email: z.optional(Email()),
  phone: z.optional(Phone()),
  address: Address(),
});

export const CreateClientBody = /* @__PURE__ */ lazy(() =>
  z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('individual'), firstName: singleLine(60), lastName: singleLine(60), ...clientCommon() }),
    z.strictObject({
      kind: z.literal('company'),
      legalName: singleLine(120),
      siret: Siret(),
      contactName: z.optional(singleLine(120)),
      ...clientCommon(),
    }),
  ]),
);

export const Client = /* @__PURE__ */ lazy(() =>
  z.intersection(CreateClientBody(), z.object({ id: z.string(), entrepreneurId: z.string(), ...Audit() })),
);
export type Client = z.output<ReturnType<typeof Client>>;

export const ClientParams = /* @__PURE__ */ lazy(() => IdParams('cli'));
export const ListClientsQuery = /* @__PURE__ */ lazy(() =>
  z.strictObject({
    etd: z.optional(EtdCode()),
    entrepreneurId: z.optional(Id('ent')),
    limit: Limit(),
    cursor: Cursor(),
  }),
);

// ---- Partners (PIC) ------------------------------------------------------------------------

export const CreatePartnerBody = /* @__PURE__ */ lazy(() =>
  z
    .strictObject({
      siret: Siret(),
      legalName: singleLine(120),
      trades: uniqueList(z.enum(trades), trades.length),
      departments: uniqueList(EtdCode(), 20),
      decennale: z.strictObject({
        insurer: singleLine(120),
        policyNumber: singleLine(60),
        validFrom: IsoDate(),
        validUntil: IsoDate(),
        coverage: singleLine(200).check(z.describe('Geographic coverage of the policy, e.g. "France métropolitaine"')),
      }),
      rge: z.optional(
        z.strictObject({
          certificateNumber: singleLine(60),
          body: singleLine(80).check(z.describe('Certifying body, e.g. Qualibat')),
          validUntil: IsoDate(),
          domains: uniqueList(z.enum(rgeDomains), rgeDomains.length),
        }),
      ),
      technicians: z.strictObject({
        total: z.number().check(z.int(), z.nonnegative(), z.lte(10_000)),
        aged45Plus: z.number().check(z.int(), z.nonnegative(), z.lte(10_000)),
        aged45PlusWornOut: z
          .optional(z.number().check(z.int(), z.nonnegative(), z.lte(10_000)))
          .check(
            z.describe(
              'Of the technicians aged 45+, those declared in professional wear-out (usure professionnelle): referred works go to them first',
            ),
          ),
      }),
      contact: z.strictObject({ email: Email(), phone: Phone() }),
      /** Where the company is established: printed on the referral commission invoices it receives. Optional on old records. */
      address: z.optional(Address()),
      /** When the company joined the network (default: the day its record was created): the last tie-break of referrals. */
      registeredOn: z.optional(IsoDate()),
    })
    .check(
      z.superRefine((partner, ctx) => {
        if (partner.decennale.validUntil <= partner.decennale.validFrom) {
          ctx.addIssue({ code: 'custom', path: ['decennale', 'validUntil'], message: 'must be after validFrom' });
        }
        if (partner.technicians.aged45Plus > partner.technicians.total) {
          ctx.addIssue({ code: 'custom', path: ['technicians', 'aged45Plus'], message: 'must not exceed total' });
        }
        if ((partner.technicians.aged45PlusWornOut ?? 0) > partner.technicians.aged45Plus) {
          ctx.addIssue({ code: 'custom', path: ['technicians', 'aged45PlusWornOut'], message: 'must not exceed aged45Plus' });
        }
      }),
    ),
);

export const Partner = /* @__PURE__ */ lazy(() => z.object({ id: z.string(), ...CreatePartnerBody().shape, ...Audit() }));
export type Partner = z.output<ReturnType<typeof Partner>>;

export const PartnerParams = /* @__PURE__ */ lazy(() => IdParams('par'));
export const ListPartnersQuery = /* @__PURE__ */ lazy(() =>
  z.strictObject({
    department: z.optional(EtdCode()),
    trade: z.optional(z.enum(trades)),
    limit: Limit(),
    cursor: Cursor(),
  }),
);
