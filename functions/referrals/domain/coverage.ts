/**
 * Where a job is and whether an insurance covers it. Pure.
 *
 * A décennale's geographic coverage is free text on the partner record (« France métropolitaine »,
 * « Pays de la Loire et Bretagne », « Loire-Atlantique (44) »). It covers a département when it
 * names France (metropolitan départements only, unless it names « outre-mer » / DROM), the
 * département's region (regions of 2016), or the département's code.
 */

/** The département of a French postal code: 2 digits, 2A/2B for Corsica, 3 for overseas. */
export function departmentOfPostalCode(postalCode: string): string | undefined {
  if (!/^\d{5}$/.test(postalCode)) return undefined;
  if (postalCode.startsWith('97') || postalCode.startsWith('98')) return postalCode.slice(0, 3);
  if (postalCode.startsWith('20')) return Number(postalCode.slice(0, 3)) < 202 ? '2A' : '2B';
  return postalCode.slice(0, 2);
}

/** Metropolitan regions (2016) and their départements. */
const regions: Record<string, readonly string[]> = {
  'auvergne rhone alpes': ['01', '03', '07', '15', '26', '38', '42', '43', '63', '69', '73', '74'],
  'bourgogne franche comte': ['21', '25', '39', '58', '70', '71', '89', '90'],
  bretagne: ['22', '29', '35', '56'],
  'centre val de loire': ['18', '28', '36', '37', '41', '45'],
  corse: ['2A', '2B'],
  'grand est': ['08', '10', '51', '52', '54', '55', '57', '67', '68', '88'],
  'hauts de france': ['02', '59', '60', '62', '80'],
  'ile de france': ['75', '77', '78', '91', '92', '93', '94', '95'],
  normandie: ['14', '27', '50', '61', '76'],
  'nouvelle aquitaine': ['16', '17', '19', '23', '24', '33', '40', '47', '64', '79', '86', '87'],
  occitanie: ['09', '11', '12', '30', '31', '32', '34', '46', '48', '65', '66', '81', '82'],
  'pays de la loire': ['44', '49', '53', '72', '85'],
  'provence alpes cote d azur': ['04', '05', '06', '13', '83', '84'],
};

/** Lower case, no accents, punctuation as spaces. */
const plain = (text: string): string =>
  ` ${text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()} `;

export function departmentCovered(coverage: string, department: string): boolean {
  const text = plain(coverage);
  const overseas = department.length === 3;
  if (text.includes(' france ') && (!overseas || /outre mer|drom|dom /.test(text))) return true;
  if (new RegExp(` ${department.toLowerCase()} `).test(text)) return true;
  return Object.entries(regions).some(([region, codes]) => codes.includes(department) && text.includes(` ${region} `));
}
