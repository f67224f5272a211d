/**
 * The CESU context's PDFs, on the shared document layout (functions/shared/pdf/document.ts): pure
 * functions of resolved documents; they format, they never compute an amount.
 *
 * - The monthly declaration summary for the employer: clearly « Récapitulatif — le bulletin de
 *   salaire officiel est délivré par le Cesu »: the employer and CESU number, each worker's hours,
 *   net hourly wage (with +10 % when chosen), net pay, rebuilt gross, every employee and employer
 *   line (base, rate, amount), the CST and its cap, the 2 €/hour deduction or the exemption and its
 *   cap, the employer's total cost; the parameter version and whether its values are verified.
 * - The yearly tax-credit attestation (CGI 199 sexdecies; servicesalapersonne.gouv.fr, LEGAL-FR §1.6):
 *   the provider (the CAE) with its SAP declaration number and date, the client, the interventions
 *   (entrepreneur's name and identifier, month, hours), the amount actually paid in the year net of
 *   APA/PCH, pre-funded CESU and the avance immédiate; a corrected one says which it supersedes.
 */
import type { IssuerIdentity, PostalAddress } from '../shared/documents.ts';
import { sapAuthorisationName, unbreakableDate } from '../shared/legal-texts.ts';
import type { SapAuthorisation } from '../shared/sap.ts';
import { formatDate, formatEuros, formatMonth, formatQuantity, formatRate } from '../shared/french.ts';
import { addressLines, colour, formatSiret, LEFT, type PdfWriter, renderPdf, RIGHT, size, WIDTH } from '../shared/pdf/document.ts';
import type { DeclarationFigures, Line } from './domain/declaration.ts';

export const SUMMARY_MENTION = 'Récapitulatif — le bulletin de salaire officiel est délivré par le Cesu';

const NBSP = '\u00a0';
const COLON = `${NBSP}: `;
const hoursText = (hours: number) => `${formatQuantity(hours)}${NBSP}h`;

export interface DeclarationDocument {
  readonly issueDate: string;
  readonly preparer: IssuerIdentity;
  readonly territory: string;
  readonly coordinator: { readonly name: string; readonly email?: string | undefined; readonly phone?: string | undefined };
  readonly employer: { readonly name: string; readonly address: PostalAddress; readonly cesuNumber: string; readonly exemption: string };
  readonly deadline: string;
  readonly figures: DeclarationFigures;
}

/** A table of label / base / rate / amount rows. */
function lineTable(
  w: PdfWriter,
  title: string,
  lines: readonly Pick<Line, 'label' | 'baseCents' | 'rate' | 'amountCents'>[],
  extra: readonly (readonly [string, string])[] = [],
): void {
  const cols = { label: LEFT, base: LEFT + WIDTH * 0.52, rate: LEFT + WIDTH * 0.7, amount: LEFT + WIDTH * 0.82 };
  w.ensure(34 + 13 * (lines.length + extra.length));
  w.style('bold', size.small, colour.muted);
  w.line(title, cols.label, w.y);
  w.line('Base', cols.base, w.y, { width: WIDTH * 0.16, align: 'right' });
  w.line('Taux', cols.rate, w.y, { width: WIDTH * 0.1, align: 'right' });
  w.line('Montant', cols.amount, w.y, { width: WIDTH * 0.18, align: 'right' });
  w.y += 12;
  w.rule(w.y);
  w.y += 4;
  w.style('regular', size.small);
  for (const l of lines) {
    w.line(l.label, cols.label, w.y, { width: WIDTH * 0.5 });
    w.line(formatEuros(l.baseCents), cols.base, w.y, { width: WIDTH * 0.16, align: 'right' });
    w.line(formatRate(l.rate), cols.rate, w.y, { width: WIDTH * 0.1, align: 'right' });
    w.line(formatEuros(l.amountCents), cols.amount, w.y, { width: WIDTH * 0.18, align: 'right' });
    w.y += 12;
  }
  for (const [label, amount] of extra) {
    w.line(label, cols.label, w.y, { width: WIDTH * 0.6 });
    w.line(amount, cols.amount, w.y, { width: WIDTH * 0.18, align: 'right' });
    w.y += 12;
  }
  w.y += 8;
}

const exemptionLabel = (f: DeclarationFigures): string =>
  f.exemption.kind === 'aged-70'
    ? `Exonération «${NBSP}70 ans et plus${NBSP}» (maladie, vieillesse, allocations familiales)`
    : 'Exonération APA / PCH / invalidité (maladie, vieillesse, allocations familiales)';

export function renderDeclarationPdf(d: DeclarationDocument): Promise<Uint8Array> {
  const f = d.figures;
  const month = formatMonth(f.period);
  const title = 'Déclaration Cesu';
  return renderPdf(
    { title: `${title} — ${month}`, subject: SUMMARY_MENTION, author: d.preparer.legalName, date: d.issueDate },
    (w, assets) => {
      w.letterhead(
        assets,
        [
          { text: title, kind: 'title' },
          { text: `Période${NBSP}: ${month}`, kind: 'strong' },
          { text: `À déclarer au plus tard le ${formatDate(d.deadline)}`, kind: 'plain' },
          { text: `Préparée le ${formatDate(d.issueDate)}`, kind: 'note' },
        ],
        { issuer: d.preparer, territory: d.territory, entrepreneur: d.coordinator },
      );
      w.framedText(
        'Récapitulatif',
        `${SUMMARY_MENTION}. Ce document prépare la déclaration mensuelle${NBSP}; il ne remplace ni la déclaration sur cesu.urssaf.fr ni le bulletin de salaire.`,
      );
      w.partyBoxes(
        {
          title: 'Particulier employeur',
          name: d.employer.name,
          lines: [...addressLines(d.employer.address), `N°${NBSP}Cesu${NBSP}: ${d.employer.cesuNumber}`],
        },
        {
          title: 'Situation',
          name: d.employer.exemption,
          lines: [
            `Heures déclarées${NBSP}: ${hoursText(f.hours)}`,
            `Paramètres${NBSP}: ${f.parametersVersion}${f.parametersVerified ? '' : ' (certaines valeurs restent à vérifier)'}`,
          ],
        },
      );
      for (const worker of f.workers) {
        w.ensure(90);
        w.style('bold', size.heading, colour.brand);
        w.line(worker.name, LEFT, w.y);
        w.y += 18;
        w.definitionList(
          'Rémunération',
          [
            ['Heures', hoursText(worker.hours)],
            [
              'Salaire horaire net déclaré',
              worker.paidLeave === 'plus-10'
                ? `${formatEuros(worker.declaredNetHourlyCents)} (${formatEuros(worker.netHourlyCents)} + 10${NBSP}% de congés payés)`
                : `${formatEuros(worker.declaredNetHourlyCents)} (congés payés rémunérés lors de leur prise)`,
            ],
            ...(worker.extraNetCents ? [['Autre rémunération nette', formatEuros(worker.extraNetCents)] as const] : []),
            ['Salaire net', formatEuros(worker.netCents)],
            ['Salaire brut reconstitué par le Cesu', formatEuros(worker.grossCents)],
          ],
          COLON,
        );
        lineTable(w, 'Cotisations salariales', worker.employeeLines, [
          ['Total des cotisations salariales', formatEuros(worker.employeeTotalCents)],
        ]);
        const cst = {
          label: `Santé au travail (plafond${NBSP}: ${formatEuros(f.santeAuTravail.capCents)} par mois)`,
          baseCents: worker.grossCents,
          rate: f.santeAuTravail.rate,
          amountCents: worker.santeAuTravailCents,
        };
        lineTable(
          w,
          'Cotisations patronales',
          [...worker.employerLines, cst],
          [['Total des cotisations patronales avant déduction ou exonération', formatEuros(worker.employerTotalCents)]],
        );
      }
      const totals: (readonly [string, string])[] = [
        ['Salaires nets à verser', formatEuros(f.netCents)],
        ['Cotisations salariales', formatEuros(f.employeeContributionsCents)],
        ['Cotisations patronales avant déduction ou exonération', formatEuros(f.employerContributionsBeforeReliefCents)],
      ];
      if (f.exemption.kind !== 'none') {
        totals.push([
          exemptionLabel(f),
          `−${NBSP}${formatEuros(f.exemption.amountCents)}${f.exemption.capCents === null ? '' : ` (plafond${NBSP}: ${formatEuros(f.exemption.capCents)})`}`,
        ]);
      } else {
        totals.push([
          `Déduction forfaitaire de ${formatEuros(f.deductionPerHourCents)} par heure travaillée`,
          `−${NBSP}${formatEuros(f.deductionCents)}`,
        ]);
      }
      totals.push(
        ['Cotisations patronales dues', formatEuros(f.employerContributionsCents)],
        ['Prélevé par le Cesu (cotisations salariales et patronales)', formatEuros(f.urssafDebitCents)],
        ['Coût total pour l’employeur', formatEuros(f.totalCostCents)],
      );
      w.definitionList('Total du mois', totals, COLON);
      if (f.warnings.length) w.notesBlock(f.warnings.map(frenchWarning).join('\n'), 'À vérifier');
      w.style('regular', size.small, colour.muted);
      w.ensure(30);
      w.y += w.paragraph(
        f.parametersVerified
          ? `Montants calculés selon les taux publiés par l’Urssaf pour les particuliers employeurs${NBSP}; le Cesu calcule les cotisations définitives, prélève l’employeur et délivre le bulletin de salaire.`
          : `Montants estimés${NBSP}: certains taux ou plafonds en vigueur proviennent de sources non officielles et restent à vérifier. Le Cesu calcule les cotisations définitives, prélève l’employeur et délivre le bulletin de salaire.`,
        LEFT,
        w.y,
        WIDTH,
      );
      w.pageFurniture(`${title} — ${d.employer.name} — ${month}`, d.issueDate, d.preparer);
    },
  );
}

const frenchWarning = (text: string): string => {
  const m = /^(.*) works under 32 hours this month/.exec(text);
  return m ? `${m[1]} travaille moins de 32${NBSP}heures ce mois-ci${NBSP}: la méthode des 10${NBSP}% de congés payés s’applique.` : text;
};

// ---- Tax-credit attestation ----------------------------------------------------------------------

export interface AttestationDocument {
  readonly number: string;
  readonly year: number;
  readonly issueDate: string;
  readonly provider: IssuerIdentity & {
    readonly sapDeclaration?: { readonly number: string; readonly declaredOn: string } | undefined;
    /** The CAE's agrément or autorisation for services to elderly, disabled or dependent people, when it has one. */
    readonly sapAuthorisation?: SapAuthorisation | undefined;
  };
  readonly territory: string;
  /** Who to call: the entrepreneur of the latest intervention. */
  readonly contact: { readonly name: string; readonly email?: string | undefined; readonly phone?: string | undefined };
  readonly client: { readonly name: string; readonly address: PostalAddress };
  readonly interventions: readonly {
    readonly month: string;
    readonly entrepreneur: string;
    readonly entrepreneurId: string;
    readonly hours: number;
  }[];
  readonly receivedCents: number;
  readonly fundedCents: number;
  /** Of `fundedCents`, the pre-funded CESU (absent: none). */
  readonly prefundedCesuCents?: number | undefined;
  readonly paidCents: number;
  readonly supersedes?: string | undefined;
}

export function renderAttestationPdf(a: AttestationDocument): Promise<Uint8Array> {
  const title = 'Attestation fiscale annuelle';
  return renderPdf(
    {
      title: `${title} ${a.year} n° ${a.number}`,
      subject: `Services à la personne — année ${a.year}`,
      author: a.provider.legalName,
      date: a.issueDate,
    },
    (w, assets) => {
      w.letterhead(
        assets,
        [
          { text: title, kind: 'title' },
          { text: `Année ${a.year} — n°${NBSP}${a.number}`, kind: 'strong' },
          { text: `Établie le ${formatDate(a.issueDate)}`, kind: 'note' },
        ],
        { issuer: a.provider, territory: a.territory, entrepreneur: a.contact },
      );
      if (a.supersedes) {
        w.framedText(
          'Attestation rectificative',
          `Attestation rectificative${NBSP}: remplace l’attestation n°${NBSP}${a.supersedes}, dont les montants ont changé depuis son établissement.`,
        );
      }
      const sap = a.provider.sapDeclaration;
      // Printed when the CAE holds one (attestations before it print as they did).
      const licence = a.provider.sapAuthorisation;
      w.partyBoxes(
        {
          title: 'Prestataire',
          name: a.provider.legalName,
          lines: [
            ...addressLines(a.provider.address),
            `SIRET ${formatSiret(a.provider.siret)}`,
            sap ? `Déclaration SAP n°${NBSP}${sap.number} du ${unbreakableDate(sap.declaredOn)}` : `Déclaration SAP${NBSP}: non renseignée`,
            ...(licence
              ? [
                  `${sapAuthorisationName(licence)} n°${NBSP}${licence.number} du ${unbreakableDate(licence.grantedOn)}, ${licence.kind === 'agrement' ? 'délivré' : 'délivrée'} par ${licence.issuer}`,
                ]
              : []),
          ],
        },
        { title: 'Bénéficiaire', name: a.client.name, lines: addressLines(a.client.address) },
      );
      w.style('regular', size.body);
      w.y +=
        w.paragraph(
          `${a.provider.legalName} atteste que ${a.client.name} a bénéficié en ${a.year} de services à la personne rendus à son domicile et a acquitté pour ces services, au cours de l’année ${a.year}, la somme de ${formatEuros(a.paidCents)}.`,
          LEFT,
          w.y,
          WIDTH,
        ) + 12;
      // Interventions: month, entrepreneur (name, identifier), hours.
      const cols = [LEFT, LEFT + WIDTH * 0.2, LEFT + WIDTH * 0.48, LEFT + WIDTH * 0.86];
      w.ensure(40);
      w.style('bold', size.small, colour.muted);
      w.line('Mois', cols[0]!, w.y);
      w.line('Intervenant', cols[1]!, w.y);
      w.line('Identifiant', cols[2]!, w.y);
      w.line('Heures', cols[3]!, w.y, { width: RIGHT - cols[3]!, align: 'right' });
      w.y += 12;
      w.rule(w.y);
      w.y += 4;
      w.style('regular', size.small);
      for (const i of a.interventions) {
        w.ensure(14);
        w.line(formatMonth(i.month), cols[0]!, w.y);
        w.line(i.entrepreneur, cols[1]!, w.y, { width: WIDTH * 0.27 });
        w.line(i.entrepreneurId, cols[2]!, w.y, { width: WIDTH * 0.37 });
        w.line(hoursText(i.hours), cols[3]!, w.y, { width: RIGHT - cols[3]!, align: 'right' });
        w.y += 12;
      }
      w.y += 10;
      const prefunded = a.prefundedCesuCents ?? 0;
      w.definitionList(
        'Montants',
        [
          [`Reçu en ${a.year} sur les factures de services à la personne`, formatEuros(a.receivedCents)],
          ['Dont avance immédiate de crédit d’impôt, APA ou PCH', formatEuros(a.fundedCents - prefunded)],
          ['Dont Cesu préfinancés', formatEuros(prefunded)],
          [`Montant acquitté par le bénéficiaire en ${a.year}`, formatEuros(a.paidCents)],
        ],
        COLON,
      );
      if (prefunded > 0) {
        w.framedText(
          'Cesu préfinancés',
          `Une partie de ces services a été réglée en Cesu préfinancés, déduits du montant ci-dessus. Lors de votre déclaration de revenus, vous devez indiquer vous-même le montant des Cesu que vous avez personnellement financés${NBSP}: seul ce montant ouvre droit à l’avantage fiscal (il figure sur l’attestation annuelle de l’organisme qui vous a remis ces Cesu).`,
        );
      }
      w.framedText(
        'Crédit d’impôt',
        `Les sommes versées pour des services à la personne ouvrent droit à un crédit d’impôt de 50${NBSP}% dans la limite des plafonds en vigueur (article 199${NBSP}sexdecies du code général des impôts). Conservez cette attestation${NBSP}: elle justifie les montants à déclarer.`,
      );
      w.pageFurniture(`${title} ${a.year} — ${a.client.name}`, a.issueDate, a.provider);
    },
  );
}
