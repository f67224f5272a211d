/**
 * French identifiers. Pure functions, no I/O.
 * - SIREN (9 digits) and SIRET (14 digits) carry a Luhn check digit; La Poste's establishments
 *   (SIREN 356 000 000) are the documented exception: their SIRET digits sum to a multiple of 5.
 * - The intra-EU VAT number of a French company is FR + a 2-digit key + its SIREN, with
 *   key = (12 + 3 × (SIREN mod 97)) mod 97.
 */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

const LA_POSTE_SIREN = '356000000';

export function isValidSiren(siren: string): boolean {
  return /^\d{9}$/.test(siren) && luhnValid(siren);
}

export function isValidSiret(siret: string): boolean {
  if (!/^\d{14}$/.test(siret) || !isValidSiren(siret.slice(0, 9))) return false;
  if (luhnValid(siret)) return true;
  return siret.startsWith(LA_POSTE_SIREN) && [...siret].reduce((acc, c) => acc + Number(c), 0) % 5 === 0;
}

export function frenchVatKey(siren: string): string {
  const key = (12 + 3 * (Number(siren) % 97)) % 97;
  return String(key).padStart(2, '0');
}

export function vatNumberFor(siren: string): string {
  return `FR${frenchVatKey(siren)}${siren}`;
}

/** True when `vat` is the French VAT number of `siren` (numeric key checked). */
export function vatNumberMatchesSiren(vat: string, siren: string): boolean {
  return vat === vatNumberFor(siren);
}

/** Codes of the 101 French départements (ETD = one département): 01–95 without 20, 2A, 2B, 971–974, 976. */
export const departmentCodes: readonly string[] = [
  ...Array.from({ length: 95 }, (_, i) => String(i + 1).padStart(2, '0')).filter((c) => c !== '20'),
  '2A',
  '2B',
  '971',
  '972',
  '973',
  '974',
  '976',
];

const departmentSet = new Set(departmentCodes);
export const isDepartmentCode = (code: string): boolean => departmentSet.has(code);

/** A French postal code: 5 digits, whose first two name a département (20 for Corsica, 97/98 overseas). */
export const isFrenchPostalCode = (code: string): boolean => /^(?:0[1-9]|[1-8]\d|9[0-8])\d{3}$/.test(code);

/** A French or international phone number, normalised to E.164 (+33…), or null when invalid. */
export function normalisePhone(input: string): string | null {
  const compact = input.replace(/[\s.\-()]/g, '');
  if (/^0[1-9]\d{8}$/.test(compact)) return `+33${compact.slice(1)}`;
  if (/^\+33[1-9]\d{8}$/.test(compact)) return compact;
  if (/^00[1-9]\d{7,14}$/.test(compact)) return `+${compact.slice(2)}`;
  if (/^\+(?!33)[1-9]\d{7,14}$/.test(compact)) return compact;
  return null;
}
