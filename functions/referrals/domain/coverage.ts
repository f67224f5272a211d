/**
 * Where a job is and whether an insurance covers it. Pure.
 *
 * A décennale's geographic coverage is free text on the partner record (« France métropolitaine »,
 * « Pays de la Loire et Bretagne », « Loire-Atlantique (44) »). It covers a département when it
 * names France (metropolitan départements only, unless it names « outre-mer » / DROM or « France
 * entière »), the département's region (regions of 2016), its name or its code — a longer name read
 * first (« Île-de-France » is not France, « Loire-Atlantique » not Loire) — save what follows
 * « hors » / « sauf ».
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

/** The départements by their names (as `plain` writes them). */
const departmentNames: Record<string, string> = {
  ain: '01',
  aisne: '02',
  allier: '03',
  'alpes de haute provence': '04',
  'hautes alpes': '05',
  'alpes maritimes': '06',
  ardeche: '07',
  ardennes: '08',
  ariege: '09',
  aube: '10',
  aude: '11',
  aveyron: '12',
  'bouches du rhone': '13',
  calvados: '14',
  cantal: '15',
  charente: '16',
  'charente maritime': '17',
  cher: '18',
  correze: '19',
  'corse du sud': '2A',
  'haute corse': '2B',
  'cote d or': '21',
  'cotes d armor': '22',
  creuse: '23',
  dordogne: '24',
  doubs: '25',
  drome: '26',
  eure: '27',
  'eure et loir': '28',
  finistere: '29',
  gard: '30',
  'haute garonne': '31',
  gers: '32',
  gironde: '33',
  herault: '34',
  'ille et vilaine': '35',
  indre: '36',
  'indre et loire': '37',
  isere: '38',
  jura: '39',
  landes: '40',
  'loir et cher': '41',
  loire: '42',
  'haute loire': '43',
  'loire atlantique': '44',
  loiret: '45',
  lot: '46',
  'lot et garonne': '47',
  lozere: '48',
  'maine et loire': '49',
  manche: '50',
  marne: '51',
  'haute marne': '52',
  mayenne: '53',
  'meurthe et moselle': '54',
  meuse: '55',
  morbihan: '56',
  moselle: '57',
  nievre: '58',
  nord: '59',
  oise: '60',
  orne: '61',
  'pas de calais': '62',
  'puy de dome': '63',
  'pyrenees atlantiques': '64',
  'hautes pyrenees': '65',
  'pyrenees orientales': '66',
  'bas rhin': '67',
  'haut rhin': '68',
  rhone: '69',
  'haute saone': '70',
  'saone et loire': '71',
  sarthe: '72',
  savoie: '73',
  'haute savoie': '74',
  paris: '75',
  'seine maritime': '76',
  'seine et marne': '77',
  yvelines: '78',
  'deux sevres': '79',
  somme: '80',
  tarn: '81',
  'tarn et garonne': '82',
  var: '83',
  vaucluse: '84',
  vendee: '85',
  vienne: '86',
  'haute vienne': '87',
  vosges: '88',
  yonne: '89',
  'territoire de belfort': '90',
  essonne: '91',
  'hauts de seine': '92',
  'seine saint denis': '93',
  'val de marne': '94',
  'val d oise': '95',
  guadeloupe: '971',
  martinique: '972',
  guyane: '973',
  'la reunion': '974',
  reunion: '974',
  mayotte: '976',
};

const metropolitan = Object.values(regions).flat();
const overseas = ['971', '972', '973', '974', '976'];

/** Every place a coverage may name, longest first (« loire atlantique » before « loire », « ile de france » before « france »). */
const places: readonly (readonly [string, readonly string[]])[] = (
  [
    ...Object.entries(regions),
    ...Object.entries(departmentNames).map(([name, code]): [string, string[]] => [name, [code]]),
    ['france metropolitaine', metropolitan],
    ['metropole', metropolitan],
    ['france entiere', [...metropolitan, ...overseas]],
    ['france', metropolitan],
    ['outre mer', overseas],
    ['dom tom', overseas],
    ['drom', overseas],
    ['dom', overseas],
  ] as [string, readonly string[]][]
).sort((a, b) => b[0].length - a[0].length);

/** Lower case, no accents, punctuation as spaces. */
const plain = (text: string): string =>
  ` ${text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()} `;

/** The départements a piece of coverage text names: places by name (each word read once, longest name first), and codes. */
function named(text: string): Set<string> {
  const found = new Set<string>();
  let rest = text;
  for (const [place, codes] of places) {
    if (!rest.includes(` ${place} `)) continue;
    rest = rest.split(` ${place} `).join('  ');
    for (const code of codes) found.add(code);
  }
  for (const code of [...metropolitan, ...overseas]) if (rest.includes(` ${code.toLowerCase()} `)) found.add(code);
  return found;
}

/**
 * Whether the coverage text covers the département: it names it (by code or name), its region, or
 * France (metropolitan only, unless it names the overseas départements or « France entière »); what
 * follows « hors » / « sauf » / « à l’exception de » is taken out.
 */
export function departmentCovered(coverage: string, department: string): boolean {
  const [included = '', ...excluded] = plain(coverage).split(/ (?:hors|sauf|excepte|a l exception de) /);
  if (excluded.some((part) => named(` ${part} `).has(department))) return false;
  return named(included.endsWith(' ') ? included : `${included} `).has(department);
}
