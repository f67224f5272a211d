/**
 * What a payslip says of the employer and the job besides the CAE's legal identity (onboarding):
 * the NAF code and the collective agreement per CAE, the job and classification of an
 * entrepreneur-salarié. Data, not rules: each CAE confirms its own (its INSEE notice for the NAF
 * code, its agreement's IDCC) before the first real payslip; until then these are the values the
 * business plan describes (SAMAD: services to people at home; MSG: building works).
 */
export interface EmployerPayrollFacts {
  readonly naf: string;
  readonly collectiveAgreement: string;
}

export const employerFacts: Readonly<Record<'SAMAD' | 'MSG', EmployerPayrollFacts>> = {
  SAMAD: {
    naf: '8810A — Aide à domicile',
    collectiveAgreement: 'Convention collective de la branche de l’aide à domicile (IDCC 2941)',
  },
  MSG: {
    naf: '4339Z — Autres travaux de finition',
    collectiveAgreement: 'Convention collective des ouvriers du bâtiment (entreprises de plus de 10 salariés, IDCC 1597)',
  },
};

export const ENTREPRENEUR_CONTRACT = 'Contrat d’entrepreneur salarié associé (CESA, C. trav. L7331-2)';
export const ENTREPRENEUR_CLASSIFICATION = 'Entrepreneur salarié — statut non cadre';

/** Full time in hours a month (35 h × 52 / 12): the default when neither the manager nor a profile says otherwise. */
export const FULL_TIME_HOURS = 151.67;
