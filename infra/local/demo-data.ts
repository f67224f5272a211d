/**
 * Demo data of the local runtime, modelled on Oui Ensemble's business plan: the pilot
 * territory 44 Loire-Atlantique with its CAE SAMAD and CAE MSG, the three break-even profiles of
 * salaried entrepreneurs, a few clients and partner companies, and territory 85 (Vendée) so that
 * isolation between territories can be seen. Companies and people are fictitious; SIRETs pass
 * the Luhn check but belong to no one.
 */
const address = (line1: string, postalCode: string, city: string) => ({ line1, postalCode, city });

/**
 * The demo CAEs' professional insurance runs from 2026 to the end of the current year (a real policy
 * is renewed every year by an operator: PUT /etds/{code}/caes/{cae}), so the demo never runs with an
 * expired policy. Tests that date documents in later years renew it through that route.
 */
const POLICY_YEAR = Math.max(2026, new Date().getUTCFullYear());

export const demoEtds = [
  {
    code: '44',
    name: 'Loire-Atlantique',
    caes: {
      samad: {
        legalName: 'CAE SAMAD Loire-Atlantique',
        siret: '90112233300015',
        vatNumber: 'FR00901122333',
        address: address('12 rue de la Coopération', '44000', 'Nantes'),
        legalForm: 'SCOP SA à capital variable',
        shareCapitalCents: 1_500_000,
        rcs: 'RCS Nantes 901 122 333',
        payrollContactEmail: 'paie@samad44.example.org',
        insurance: {
          insurer: 'Mutuelle de l’Économie Sociale',
          insurerAddress: address('8 rue Jean-Jaurès', '75010', 'Paris'),
          policyNumber: 'RCP-44-2026-0412',
          coverage: 'France métropolitaine',
          validFrom: '2026-01-01',
          validUntil: `${POLICY_YEAR}-12-31`,
        },
        sapDeclaration: { number: 'SAP901122333', declaredOn: '2025-09-15' },
        // Its home-help service (SAAD) authorised by the département for fifteen years (CASF L313-1; fictitious).
        sapAuthorisation: {
          kind: 'autorisation',
          number: 'SAAD-44-2026-0117',
          grantedOn: '2026-01-05',
          validUntil: '2041-01-04',
          issuer: 'le président du conseil départemental de la Loire-Atlantique',
        },
        mediator: {
          name: 'Médiation de la consommation de l’économie sociale (fictive)',
          website: 'https://mediation-consommation.example.org',
        },
      },
      msg: {
        legalName: 'CAE MSG Loire-Atlantique',
        siret: '90112244000018',
        vatNumber: 'FR30901122440',
        address: address('12 rue de la Coopération', '44000', 'Nantes'),
        legalForm: 'SCIC SAS à capital variable',
        shareCapitalCents: 2_000_000,
        rcs: 'RCS Nantes 901 122 440',
        payrollContactEmail: 'paie@msg44.example.org',
        insurance: {
          insurer: 'Assurances Coopératives du Bâtiment',
          insurerAddress: address('21 boulevard Gabriel-Guist’hau', '44000', 'Nantes'),
          policyNumber: 'RCD-44-2026-0733',
          coverage: 'France métropolitaine',
          validFrom: '2026-01-01',
          validUntil: `${POLICY_YEAR}-12-31`,
        },
        mediator: {
          name: 'Médiation de la consommation de l’économie sociale (fictive)',
          website: 'https://mediation-consommation.example.org',
        },
      },
    },
  },
  {
    code: '85',
    name: 'Vendée',
    caes: {
      samad: {
        legalName: 'CAE SAMAD Vendée',
        siret: '85211122800015',
        vatNumber: 'FR61852111228',
        address: address('3 place Napoléon', '85000', 'La Roche-sur-Yon'),
        legalForm: 'SCOP SA à capital variable',
        shareCapitalCents: 1_000_000,
        rcs: 'RCS La Roche-sur-Yon 852 111 228',
        payrollContactEmail: 'paie@samad85.example.org',
        insurance: {
          insurer: 'Mutuelle de l’Économie Sociale',
          insurerAddress: address('8 rue Jean-Jaurès', '75010', 'Paris'),
          policyNumber: 'RCP-85-2026-0412',
          coverage: 'France métropolitaine',
          validFrom: '2026-01-01',
          validUntil: `${POLICY_YEAR}-12-31`,
        },
        sapDeclaration: { number: 'SAP852111228', declaredOn: '2026-02-02' },
        // The State's agrément (C. trav. L7232-1), for five years (fictitious).
        sapAuthorisation: {
          kind: 'agrement',
          number: 'SAP852111228',
          grantedOn: '2026-02-02',
          validUntil: '2031-02-01',
          issuer: 'le préfet de la Vendée',
        },
        mediator: {
          name: 'Médiation de la consommation de l’économie sociale (fictive)',
          website: 'https://mediation-consommation.example.org',
        },
      },
      msg: {
        legalName: 'CAE MSG Vendée',
        siret: '85211133500018',
        vatNumber: 'FR91852111335',
        address: address('3 place Napoléon', '85000', 'La Roche-sur-Yon'),
        legalForm: 'SCIC SAS à capital variable',
        shareCapitalCents: 1_000_000,
        rcs: 'RCS La Roche-sur-Yon 852 111 335',
        payrollContactEmail: 'paie@msg85.example.org',
        insurance: {
          insurer: 'Assurances Coopératives du Bâtiment',
          insurerAddress: address('21 boulevard Gabriel-Guist’hau', '44000', 'Nantes'),
          policyNumber: 'RCD-85-2026-0733',
          coverage: 'France métropolitaine',
          validFrom: '2026-01-01',
          validUntil: `${POLICY_YEAR}-12-31`,
        },
        mediator: {
          name: 'Médiation de la consommation de l’économie sociale (fictive)',
          website: 'https://mediation-consommation.example.org',
        },
      },
    },
  },
] as const;

/** The three break-even profiles of the business plan, as entrepreneurs of ETD 44 (and one in 85). */
export const demoEntrepreneurs = [
  {
    etd: '44',
    cae: 'SAMAD',
    firstName: 'Martine',
    lastName: 'Leroux',
    email: 'martine.leroux@example.org',
    phone: '06 12 34 56 78',
    birthYear: 1967,
    status: 'salaried',
    competences: ['tutor', 'coordinator'],
    poles: ['autonomy'],
    hourlyRateCents: 2085,
    publicProfile: {
      headline: 'Tutrice-coordinatrice, accompagnement de la dépendance',
      missions:
        'Accompagnement des personnes âgées à domicile et en EHPAD, coordination des interventions, tutorat des nouveaux entrepreneurs. 135 heures par mois.',
      visible: true,
    },
  },
  {
    etd: '44',
    cae: 'SAMAD',
    firstName: 'Karim',
    lastName: 'Benali',
    email: 'karim.benali@example.org',
    phone: '06 23 45 67 89',
    birthYear: 1974,
    status: 'salaried',
    competences: ['trainer'],
    poles: ['autonomy', 'home-services'],
    hourlyRateCents: 4900,
    publicProfile: {
      headline: 'Formateur des aidants et des intervenants à domicile',
      missions:
        'Formations aux gestes et postures, à la prévention des chutes et à la bientraitance. Ateliers d’analyse des pratiques (EAPP).',
      visible: true,
    },
  },
  {
    etd: '44',
    cae: 'MSG',
    firstName: 'Sophie',
    lastName: 'Garnier',
    email: 'sophie.garnier@example.org',
    phone: '07 34 56 78 90',
    birthYear: 1979,
    status: 'salaried',
    competences: ['developer', 'recruiter'],
    poles: ['renovation', 'home-services'],
    hourlyRateCents: 2583,
    publicProfile: {
      headline: 'Développeuse-recruteuse, rénovation du bâti',
      missions:
        'Visite des logements, devis de rénovation, mise en relation avec les entreprises partenaires du bâtiment, recrutement des techniciens seniors.',
      visible: true,
    },
  },
  {
    etd: '85',
    cae: 'MSG',
    firstName: 'Alain',
    lastName: 'Rousseau',
    email: 'alain.rousseau@example.org',
    phone: '06 45 67 89 01',
    birthYear: 1963,
    status: 'volunteer',
    competences: ['coordinator'],
    poles: ['home-services'],
    publicProfile: { headline: 'Coordinateur bénévole', missions: 'Coordination des services à domicile en Vendée.', visible: true },
  },
] as const;

/** Clients of ETD 44; `entrepreneur` is the index in demoEntrepreneurs of the one in charge. */
export const demoClients = [
  {
    entrepreneur: 0,
    body: {
      etd: '44',
      kind: 'individual',
      firstName: 'Yvette',
      lastName: 'Durand',
      phone: '02 40 12 34 56',
      address: address('8 allée des Tilleuls', '44300', 'Nantes'),
    },
  },
  {
    entrepreneur: 2,
    body: {
      etd: '44',
      kind: 'individual',
      firstName: 'Jean',
      lastName: 'Moreau',
      email: 'jean.moreau@example.org',
      address: address('21 rue du Port', '44200', 'Nantes'),
    },
  },
  {
    entrepreneur: 2,
    body: {
      etd: '44',
      kind: 'company',
      legalName: 'Résidence Les Glycines (SCI)',
      siret: '49012345200016',
      contactName: 'Service technique',
      email: 'technique@glycines.example.org',
      address: address('2 boulevard de la Loire', '44400', 'Rezé'),
    },
  },
] as const;

export const demoPartners = [
  {
    siret: '51234567900025',
    legalName: 'Menuiserie Atlantique SARL',
    trades: ['joinery', 'accessibility'],
    departments: ['44', '85'],
    decennale: {
      insurer: 'Mutuelle du Bâtiment de l’Ouest',
      policyNumber: 'DEC-2026-44-0187',
      validFrom: '2026-01-01',
      validUntil: '2026-12-31',
      coverage: 'France métropolitaine',
    },
    technicians: { total: 6, aged45Plus: 4, aged45PlusWornOut: 2 },
    contact: { email: 'contact@menuiserie-atlantique.example.org', phone: '02 40 98 76 54' },
    address: address('14 rue des Charpentiers', '44800', 'Saint-Herblain'),
    registeredOn: '2024-11-04',
  },
  {
    siret: '52345678800018',
    legalName: 'Isolation Bocage Rénovation',
    trades: ['insulation', 'energy-renovation', 'plastering'],
    departments: ['44'],
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
      domains: ['interior-insulation', 'attic-insulation', 'floor-insulation'],
    },
    technicians: { total: 9, aged45Plus: 5, aged45PlusWornOut: 3 },
    contact: { email: 'devis@isolation-bocage.example.org', phone: '02 51 11 22 33' },
    address: address('3 route de Clisson', '44190', 'Gétigné'),
    registeredOn: '2025-02-03',
  },
  // The partners below make the demo referral's matching (demoReferral): three candidates ranked seniors
  // first, three excluded for a reason a manager can read (trades, décennale, RGE).
  {
    siret: '53456789600004',
    legalName: 'Rénov’Habitat Estuaire',
    trades: ['insulation', 'plastering', 'painting', 'energy-renovation'],
    departments: ['44'],
    decennale: {
      insurer: 'Mutuelle du Bâtiment de l’Ouest',
      policyNumber: 'DEC-2027-44-0412',
      validFrom: '2026-01-01',
      validUntil: '2027-12-31',
      coverage: 'France métropolitaine',
    },
    rge: {
      certificateNumber: 'E-E204518',
      body: 'Qualibat',
      validUntil: '2028-01-31',
      domains: ['attic-insulation', 'interior-insulation'],
    },
    technicians: { total: 5, aged45Plus: 4, aged45PlusWornOut: 3 },
    contact: { email: 'chantiers@renovhabitat-estuaire.example.org', phone: '02 40 55 66 77' },
    address: address('9 quai Émile-Cormerais', '44800', 'Saint-Herblain'),
    registeredOn: '2025-09-15',
  },
  {
    siret: '54567890600003',
    legalName: 'Les Compagnons Plâtriers de l’Erdre',
    trades: ['plastering', 'insulation', 'painting'],
    departments: ['44'],
    decennale: {
      insurer: 'Assurances Coopératives du Bâtiment',
      policyNumber: 'RC10-801133',
      validFrom: '2026-06-01',
      validUntil: '2027-05-31',
      coverage: 'Loire-Atlantique (44)',
    },
    rge: { certificateNumber: 'E-E187702', body: 'Qualibat', validUntil: '2027-05-31', domains: ['attic-insulation'] },
    technicians: { total: 9, aged45Plus: 6, aged45PlusWornOut: 3 },
    contact: { email: 'contact@compagnons-erdre.example.org', phone: '02 40 29 30 31' },
    address: address('27 rue de la Chapelle', '44240', 'La Chapelle-sur-Erdre'),
    registeredOn: '2024-06-01',
  },
  {
    siret: '55678901400009',
    legalName: 'Isolation Côte de Jade',
    trades: ['insulation', 'plastering', 'energy-renovation'],
    departments: ['44'],
    decennale: {
      insurer: 'Mutuelle du Bâtiment de l’Ouest',
      policyNumber: 'DEC-2026-44-0933',
      validFrom: '2026-01-01',
      validUntil: '2026-12-31',
      coverage: 'France métropolitaine',
    },
    rge: { certificateNumber: 'E-E199004', body: 'Qualibat', validUntil: '2027-09-30', domains: ['attic-insulation', 'floor-insulation'] },
    technicians: { total: 6, aged45Plus: 5, aged45PlusWornOut: 4 },
    contact: { email: 'atelier@isolation-cotedejade.example.org', phone: '02 40 82 83 84' },
    address: address('5 avenue de la Mer', '44210', 'Pornic'),
    registeredOn: '2023-10-02',
  },
  {
    siret: '56789012400009',
    legalName: 'Peintures et Plâtres du Sillon',
    trades: ['plastering', 'insulation', 'painting'],
    departments: ['44'],
    decennale: {
      insurer: 'Assurances Coopératives du Bâtiment',
      policyNumber: 'RC10-812290',
      validFrom: '2026-04-01',
      validUntil: '2027-03-31',
      coverage: 'Pays de la Loire',
    },
    technicians: { total: 7, aged45Plus: 5, aged45PlusWornOut: 5 },
    contact: { email: 'bonjour@peintures-sillon.example.org', phone: '02 40 45 46 47' },
    address: address('2 rue du Sillon', '44360', 'Saint-Étienne-de-Montluc'),
    registeredOn: '2025-05-20',
  },
] as const;

/**
 * A month of activity (October 2026) for the three business-plan profiles (functions/payroll/domain/profiles.ts):
 * `entrepreneur` is the index in demoEntrepreneurs — Martine Leroux ES.TC.Dép (SAMAD), Karim Benali ES.Fo (SAMAD),
 * Sophie Garnier ES.DR (MSG). One invoice at the profile's hours and rate (so the month is on the profile), paid by
 * card, an expense with its receipt, a salary and its payslip. `client` is the index in demoClients, or a client of
 * its own (`newClient`) for an entrepreneur who has none.
 */
export const demoPayrollMonth = {
  period: '2026-10',
  issuedOn: '2026-10-15',
  paidOn: '2026-10-22',
  expenseOn: '2026-10-08',
  payslipOn: '2026-11-02',
  profiles: [
    {
      entrepreneur: 0,
      client: 0,
      title: 'Accompagnement à domicile — octobre 2026',
      line: {
        description: 'Aide et coordination à domicile',
        kind: 'labour',
        quantity: 135,
        unit: 'h',
        unitPriceCents: 2_085,
        vatRate: '20',
      },
      expense: { amountCents: 4_560, vatCents: 760, category: 'travel', label: 'Train Nantes – Saint-Nazaire' },
      grossCents: 150_000,
    },
    {
      entrepreneur: 1,
      newClient: {
        etd: '44',
        kind: 'company',
        legalName: 'Atelier Formation Estuaire (SARL)',
        siret: '51234567900017',
        contactName: 'Service formation',
        email: 'formation@estuaire.example.org',
        address: address('5 quai de la Fosse', '44000', 'Nantes'),
      },
      title: 'Formation bureautique — octobre 2026',
      line: { description: 'Animation de formation', kind: 'labour', quantity: 94.5, unit: 'h', unitPriceCents: 4_900, vatRate: '20' },
      expense: { amountCents: 3_600, vatCents: 600, category: 'supplies', label: 'Supports de formation imprimés' },
      grossCents: 250_000,
    },
    {
      entrepreneur: 2,
      client: 2,
      title: 'Recrutement et développement — octobre 2026',
      line: { description: 'Développement et recrutement', kind: 'labour', quantity: 128, unit: 'h', unitPriceCents: 2_583, vatRate: '20' },
      expense: { amountCents: 2_400, vatCents: 400, category: 'telecom', label: 'Abonnement téléphonique' },
      grossCents: 180_000,
    },
  ],
} as const;

/**
 * The demo referral (issue 11): Sophie Garnier (ES.DR, CAE MSG) brings the insulation of Jean Moreau's
 * attic to the partners of 44 (`clientId`: Jean Moreau's id, resolved when seeding or testing). Its
 * matching: Rénov’Habitat Estuaire (3 technicians 45+ in wear-out of 5), then Les Compagnons Plâtriers
 * de l’Erdre and Isolation Bocage Rénovation (3 of 9 each; the Compagnons registered first); excluded:
 * Isolation Côte de Jade (décennale ends before the works), Menuiserie Atlantique (trades, décennale, no RGE),
 * Peintures et Plâtres du Sillon (no RGE).
 */
export const demoReferral = {
  title: 'Isolation des combles et reprise des plafonds',
  description:
    'Maison de plain-pied des années 1970 : isolation des combles perdus (environ 90 m²) par soufflage, puis reprise des plafonds en plaques de plâtre dans deux chambres.',
  site: address('21 rue du Port', '44200', 'Nantes'),
  trades: ['insulation', 'plastering'],
  energyRenovation: true,
  rgeDomains: ['attic-insulation'],
  estimatedAmountCents: 840_000,
  startDate: '2027-01-11',
  endDate: '2027-01-29',
} as const;
