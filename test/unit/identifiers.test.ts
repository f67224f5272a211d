import { describe, expect, it } from 'vitest';
import {
  departmentCodes,
  isDepartmentCode,
  isFrenchPostalCode,
  isValidSiren,
  isValidSiret,
  luhnValid,
  normalisePhone,
  vatNumberFor,
  vatNumberMatchesSiren,
} from '../../functions/shared/identifiers.ts';

describe('Luhn and SIRET', () => {
  it.each([
    ['79927398713', true],
    ['79927398710', false],
    ['0', true],
    ['', false],
    ['12a4', false],
  ])('luhn(%s) = %s', (digits, expected) => expect(luhnValid(digits)).toBe(expected));

  it.each([
    ['552100554', true], // a well-known SIREN
    ['552100555', false],
    ['55210055', false],
  ])('SIREN %s valid: %s', (siren, expected) => expect(isValidSiren(siren)).toBe(expected));

  it.each([
    ['90112233300015', true],
    ['90112233300016', false],
    ['9011223330001', false],
    ['901122333000150', false],
    ['9011223330001A', false],
    ['12345678000006', false], // Luhn-valid as 14 digits, but its SIREN 123456780 is not
    ['35600000000048', true], // La Poste head office
    ['35600000049837', true], // La Poste establishment: digit sum multiple of 5, not Luhn
    ['35600000049838', false],
  ])('SIRET %s valid: %s', (siret, expected) => expect(isValidSiret(siret)).toBe(expected));
});

describe('French VAT number', () => {
  it.each([
    ['303265045', 'FR40303265045'],
    ['901122333', 'FR00901122333'],
    ['441122330', 'FR76441122330'],
  ])('SIREN %s → %s', (siren, vat) => {
    expect(vatNumberFor(siren)).toBe(vat);
    expect(vatNumberMatchesSiren(vat, siren)).toBe(true);
  });

  it('refuses a VAT number of another SIREN or with a wrong key', () => {
    expect(vatNumberMatchesSiren('FR40303265045', '901122333')).toBe(false);
    expect(vatNumberMatchesSiren('FR41303265045', '303265045')).toBe(false);
  });
});

describe('départements, postal codes, phones', () => {
  it('lists the 101 départements', () => {
    expect(departmentCodes).toHaveLength(101);
    expect(new Set(departmentCodes).size).toBe(101);
  });

  it.each([
    ['44', true],
    ['01', true],
    ['2A', true],
    ['2B', true],
    ['974', true],
    ['20', false],
    ['96', false],
    ['1', false],
    ['977', false],
    ['975', false],
    ['44 ', false],
  ])('département %j: %s', (code, expected) => expect(isDepartmentCode(code)).toBe(expected));

  it.each([
    ['44000', true],
    ['20000', true],
    ['97400', true],
    ['00100', false],
    ['4400', false],
    ['440000', false],
    ['99000', false],
    ['4400A', false],
  ])('postal code %s: %s', (code, expected) => expect(isFrenchPostalCode(code)).toBe(expected));

  it.each([
    ['06 12 34 56 78', '+33612345678'],
    ['06.12.34.56.78', '+33612345678'],
    ['+33 6 12 34 56 78', '+33612345678'],
    ['0033612345678', '+33612345678'],
    ['02-40-12-34-56', '+33240123456'],
    ['+32 470 12 34 56', '+32470123456'],
    ['00 00 00 00 00', null],
    ['0612', null],
    ['+33 0 12 34 56 78', null],
    ['call me', null],
  ])('phone %j → %s', (input, expected) => expect(normalisePhone(input)).toBe(expected));
});
