/**
 * Realistic `QuoteDocument`s for the PDF renderer, its tests and the bench. Fictitious people and
 * companies (the CAE and partner of the local demo data); totals computed by the real pricing code,
 * so every amount is the amount the API would give.
 *
 * - `twoPageQuote()`: the issue's "2 pages, 45 lines" quote: 45 lines in 7 sections, 20 / 10 / 5.5 %
 *   rates, a travel line, a performer with décennale and RGE, revision 2 replacing revision 1. With
 *   every mandatory block at a 10 pt body it prints on THREE A4 pages (the table fills two).
 * - `twentyPageQuote()`: the same sections for 8 flats, longer descriptions: 20 pages, 286 lines.
 */
import {
  computeTotals,
  lineTotalCents,
  vatCertificationNeeded,
  type LineKind,
  type Unit,
  type VatRate,
} from '../../functions/shared/pricing.ts';
import type { DocumentLine, IssuerIdentity, Performer, QuoteDocument } from '../../functions/quotes/views.ts';
import { rgeDomainLabel, type RgeDomain } from '../../functions/onboarding/index.ts';
import { operationNature, reducedRatesUsed } from '../../functions/shared/pricing.ts';
import type { Insurance } from '../../functions/shared/legal-rules.ts';

export const msgLoireAtlantique: IssuerIdentity = {
  legalName: 'CAE MSG Loire-Atlantique',
  legalForm: 'SCIC SAS à capital variable',
  shareCapitalCents: 2_000_000,
  siret: '90112244000018',
  rcs: 'RCS Nantes 901 122 440',
  vatNumber: 'FR30901122440',
  address: { line1: '12 rue de la Coopération', postalCode: '44000', city: 'Nantes' },
};

export const isolationBocage: Performer = {
  legalName: 'Isolation Bocage Rénovation',
  siret: '52345678800018',
  decennale: {
    insurer: 'Assurances Coopératives du Bâtiment',
    policyNumber: 'RC10-778812',
    validFrom: '2026-03-01',
    validUntil: '2027-02-28',
    coverage: 'Pays de la Loire et Bretagne',
  },
  rge: {
    certificateNumber: 'E-E123456',
    body: 'Qualibat',
    validUntil: '2027-06-30',
    // RGE domain codes (functions/onboarding/domain/partner.ts); a sent quote prints their labels.
    domains: ['interior-insulation', 'attic-insulation', 'windows'],
  },
};

type Row = readonly [description: string, kind: LineKind, quantity: number, unit: Unit, unitPriceCents: number, vatRate?: VatRate];

/** Sections of the 45-line quote; a row without rate takes its section's. */
const sections: readonly { readonly title: string; readonly rate: VatRate; readonly energy?: boolean; readonly rows: readonly Row[] }[] = [
  {
    title: 'Installation et repli du chantier',
    rate: '10',
    rows: [
      ['Déplacement Nantes – Pornichet (aller-retour)', 'travel', 12, 'u', 3800],
      ['Protection des sols et du mobilier', 'material', 1, 'lump-sum', 18500],
      ['Installation et repli du chantier', 'labour', 1, 'lump-sum', 24000],
      ['Nettoyage de fin de chantier', 'labour', 0.75, 'day', 32000],
    ],
  },
  {
    title: 'Isolation des combles perdus',
    rate: '5.5',
    energy: true,
    rows: [
      ['Dépose et évacuation de l’ancien isolant', 'labour', 62.5, 'm2', 950],
      ['Laine de verre soufflée 320 mm, R = 7', 'material', 62.5, 'm2', 1840],
      ['Soufflage de l’isolant', 'labour', 6, 'h', 5200],
      ['Pare-vapeur hygrorégulant', 'material', 62.5, 'm2', 680],
      ['Rehausse de trappe d’accès isolée', 'material', 1, 'u', 14500],
      ['Capot d’écart au feu du conduit', 'material', 2, 'u', 4850],
      ['Piges de hauteur et fiche de repérage', 'other', 1, 'lump-sum', 3500],
    ],
  },
  {
    title: 'Isolation des murs par l’intérieur',
    rate: '5.5',
    energy: true,
    rows: [
      ['Dépose des doublages existants', 'labour', 14, 'h', 4800],
      ['Ossature métallique (rails et montants)', 'material', 48.6, 'm2', 1290],
      ['Laine de bois 120 mm, R = 3,15', 'material', 48.6, 'm2', 2470],
      ['Membrane d’étanchéité à l’air', 'material', 48.6, 'm2', 520],
      ['Plaques de plâtre BA13 hydrofuges', 'material', 48.6, 'm2', 2100],
      ['Bandes, enduits et ponçage', 'labour', 48.6, 'm2', 1150],
      ['Pose de l’isolant et de l’ossature', 'labour', 22, 'h', 4800],
      ['Traitement des ponts thermiques', 'labour', 8, 'ml', 2750],
    ],
  },
  {
    title: 'Menuiseries extérieures',
    rate: '5.5',
    energy: true,
    rows: [
      ['Dépose des fenêtres simple vitrage', 'labour', 6, 'u', 6500],
      ['Fenêtre PVC 2 vantaux 120 × 135, Uw 1,3', 'material', 3, 'u', 61200],
      ['Fenêtre PVC 1 vantail 60 × 75, Uw 1,3', 'material', 2, 'u', 38900],
      ['Porte-fenêtre PVC 140 × 215, Uw 1,3', 'material', 1, 'u', 114500],
      ['Pose sur dormant existant, calfeutrement', 'labour', 12.5, 'h', 5200],
      ['Bavettes et habillages aluminium', 'material', 6, 'u', 4200],
    ],
  },
  {
    title: 'Ventilation',
    rate: '5.5',
    energy: true,
    rows: [
      ['VMC simple flux hygroréglable type B', 'material', 1, 'u', 48900],
      ['Bouches et entrées d’air hygroréglables', 'material', 6, 'u', 3650],
      ['Gaines isolées et raccordements', 'material', 14, 'ml', 890],
      ['Pose et mise en service de la VMC', 'labour', 5, 'h', 5200],
    ],
  },
  {
    title: 'Salle d’eau de plain-pied',
    rate: '10',
    rows: [
      ['Dépose de la baignoire et des sanitaires', 'labour', 5, 'h', 4600],
      ['Évacuation des gravats en déchetterie', 'other', 1.5, 'm3', 6800],
      ['Receveur extra-plat 90 × 120', 'material', 1, 'u', 45500],
      ['Paroi fixe en verre sécurit 8 mm', 'material', 1, 'u', 38900],
      ['Barre d’appui et siège de douche relevable', 'material', 1, 'u', 21200],
      ['Mitigeur thermostatique et colonne', 'material', 1, 'u', 26800],
      ['Carrelage de sol antidérapant', 'material', 6.2, 'm2', 4990],
      ['Faïence murale de la douche', 'material', 11.75, 'm2', 3850],
      ['Pose du carrelage et de la faïence', 'labour', 18, 'h', 4600],
      ['Plomberie et raccordements', 'labour', 9, 'h', 5200],
      ['Lavabo PMR à siphon déporté', 'material', 1, 'u', 24800],
      ['WC suspendu rehaussé avec bâti', 'material', 1, 'u', 53200],
      ['Sèche-serviettes 500 W, fourniture seule', 'material', 1, 'u', 28900, '20'],
    ],
  },
  {
    title: 'Électricité de la salle d’eau',
    rate: '10',
    rows: [
      ['Mise en conformité du circuit (volumes)', 'labour', 6, 'h', 5000],
      ['Éclairage LED étanche IP44', 'material', 3, 'u', 3990],
      ['Interrupteurs à voyant lumineux', 'material', 4, 'u', 1860],
    ],
  },
];

const toLine = (
  section: string,
  energy: boolean,
  rate: VatRate,
  [description, kind, quantity, unit, unitPriceCents, ownRate]: Row,
): DocumentLine => {
  const vatRate = ownRate ?? rate;
  const line = {
    section,
    description,
    kind,
    quantity,
    unit,
    unitPriceCents,
    vatRate,
    energyRenovation: energy && vatRate === '5.5' ? true : undefined,
  };
  return { ...line, totalCents: lineTotalCents(line) };
};

const fortyFiveLines = (): DocumentLine[] => sections.flatMap((s) => s.rows.map((row) => toLine(s.title, s.energy ?? false, s.rate, row)));

/** A whole document from its lines: totals and certification as the API computes them. */
export function quoteFromLines(lines: readonly DocumentLine[], overrides: Partial<QuoteDocument> = {}): QuoteDocument {
  const depositPercent = overrides.depositPercent ?? 30;
  return {
    number: 'D-MSG44-2026-000123',
    revision: 2,
    supersedes: { number: 'D-MSG44-2026-000123', revision: 1 },
    issueDate: '2026-11-25',
    validUntil: '2026-12-25',
    validityDays: 30,
    title: 'Rénovation énergétique et salle d’eau de plain-pied',
    issuer: msgLoireAtlantique,
    territory: 'Loire-Atlantique (44)',
    entrepreneur: { name: 'Sophie Garnier', email: 'sophie.garnier@example.org', phone: '07 34 56 78 90' },
    client: { name: 'Jean Moreau', address: { line1: '21 rue du Port', postalCode: '44200', city: 'Nantes' } },
    siteAddress: { line1: 'Maison «\u00a0Les Mouettes\u00a0»', line2: '5 impasse des Goélands', postalCode: '44380', city: 'Pornichet' },
    housingOver2Years: true,
    lines,
    totals: computeTotals(lines, depositPercent),
    depositPercent,
    feeCents: 0,
    notes:
      'Quantités relevées lors de la visite du 18 novembre 2026. La salle d’eau sera refaite en dernier, pour que la maison reste habitable pendant les travaux.',
    vatCertification: vatCertificationNeeded(lines),
    performer: isolationBocage,
    ...overrides,
  };
}

/** The 45-line renovation quote (table on two pages, three pages in all). */
export function twoPageQuote(overrides: Partial<QuoteDocument> = {}): QuoteDocument {
  return quoteFromLines(fortyFiveLines(), overrides);
}

/** How many lines of the repeated sections make 20 pages with the current layout (280 to 292 do). */
const LINES_OF_TWENTY_PAGES = 286;

/**
 * A quote of 20 pages: the sections of the two-page quote repeated for the 8 flats of a
 * residence, with longer descriptions (two lines each).
 */
export function twentyPageQuote(overrides: Partial<QuoteDocument> = {}): QuoteDocument {
  const lines: DocumentLine[] = [];
  for (let flat = 1; flat <= 8; flat++) {
    for (const s of sections) {
      const title = `Logement ${flat} — ${s.title}`;
      for (const row of s.rows) {
        const [description, ...rest] = row;
        lines.push(
          toLine(title, s.energy ?? false, s.rate, [`${description}, fourniture et pose selon le relevé du logement ${flat}`, ...rest]),
        );
      }
    }
  }
  return quoteFromLines(lines.slice(0, LINES_OF_TWENTY_PAGES), {
    title: 'Rénovation énergétique de la Résidence Les Glycines (8 logements)',
    client: {
      name: 'Résidence Les Glycines (SCI)',
      address: { line1: '2 boulevard de la Loire', postalCode: '44400', city: 'Rezé' },
      siret: '49012345200016',
    },
    siteAddress: { line1: 'Résidence Les Glycines, bâtiments A et B', line2: '2 boulevard de la Loire', postalCode: '44400', city: 'Rezé' },
    ...overrides,
  });
}

/** The insurance of the demo CAE MSG Loire-Atlantique (infra/local/demo-data.ts). */
export const msgInsurance: Insurance = {
  insurer: 'Assurances Coopératives du Bâtiment',
  insurerAddress: { line1: '21 boulevard Gabriel-Guist’hau', postalCode: '44000', city: 'Nantes' },
  policyNumber: 'RCD-44-2026-0733',
  coverage: 'France métropolitaine',
  validFrom: '2026-01-01',
  validUntil: '2026-12-31',
};

/** The RGE domain of each energy-renovation section of the 45-line quote (ventilation: not one of the partner's). */
const sectionDomains: Record<string, RgeDomain> = {
  'Isolation des combles perdus': 'attic-insulation',
  'Isolation des murs par l’intérieur': 'interior-insulation',
  'Menuiseries extérieures': 'windows',
  Ventilation: 'ventilation',
};

/**
 * What edition 2 prints of the partner and the lines, as functions/quotes/send.ts derives it: the
 * partner's RGE domains in words, the CAE's insurance, the nature of the operation, the reduced
 * rates used, and each 5.5 % line's coverage by the partner's RGE (`domainOf` its section).
 */
function editionTwoFields(lines: readonly DocumentLine[], domainOf: (section: string) => RgeDomain | undefined): Partial<QuoteDocument> {
  const partnerDomains = isolationBocage.rge!.domains as readonly RgeDomain[];
  return {
    edition: 2,
    performer: { ...isolationBocage, rge: { ...isolationBocage.rge!, domains: partnerDomains.map(rgeDomainLabel) } },
    issuerInsurance: msgInsurance,
    operationNature: operationNature(lines),
    reducedRates: reducedRatesUsed(lines),
    rgeCoverage: lines.flatMap((line, index) => {
      if (line.vatRate !== '5.5') return [];
      const domain = domainOf(line.section ?? '');
      return [
        {
          index,
          ...(domain ? { domainLabel: rgeDomainLabel(domain) } : {}),
          covered: domain !== undefined && partnerDomains.includes(domain),
        },
      ];
    }),
  };
}

/**
 * The 45-line quote as sent from December 2026 (edition 2): to an individual, at home, with the
 * CAE's insurance, the consumer's rights and mediator, the start of the works, each 5.5 % line's
 * RGE coverage (the ventilation lines are not covered), the certification per rate used.
 */
export function editionTwoQuote(overrides: Partial<QuoteDocument> = {}): QuoteDocument {
  const lines = fortyFiveLines();
  const base = quoteFromLines(lines, overrides);
  return {
    ...base,
    ...editionTwoFields(lines, (section) => sectionDomains[section]),
    works: { startDate: '2027-01-11', durationDays: 15 },
    consumer: {
      withdrawal: true,
      paymentWait: true,
      mediator: {
        name: 'Médiation de la consommation de l’économie sociale (fictive)',
        website: 'https://mediation-consommation.example.org',
      },
    },
    ...overrides,
  };
}

/**
 * The 20-page quote as sent from December 2026 (edition 2): to a company (no consumer's rights),
 * each 5.5 % line's RGE coverage by the domain of its section (« Logement 3 — Ventilation »).
 */
export function editionTwoTwentyPageQuote(overrides: Partial<QuoteDocument> = {}): QuoteDocument {
  const base = twentyPageQuote();
  return {
    ...base,
    ...editionTwoFields(base.lines, (section) => sectionDomains[section.split(' — ')[1] ?? '']),
    works: { startDate: '2027-02-01', durationDays: 60 },
    ...overrides,
  };
}
