/** The client's page of a closed quote: shown for the retention period after closing, then only "no longer available". */
import { afterEach, describe, expect, it } from 'vitest';
import { closedAt, isPageRetired, type ClosingFacts } from '../../functions/quotes/domain/quote.ts';
import { closedQuotePageRetentionDays } from '../../functions/quotes/config.ts';
import { renderQuoteRetired } from '../../functions/quotes/page.ts';

const base: ClosingFacts = { state: 'sent', validUntil: '2026-12-25', updatedAt: '2026-11-25T10:00:00.000Z' };
const day = (iso: string, plusDays = 0) => new Date(Date.parse(iso) + plusDays * 86_400_000);

describe('when a quote closed', () => {
  it.each<[string, ClosingFacts, string | undefined]>([
    ['draft', { ...base, state: 'draft' }, undefined],
    ['sent, still valid', base, undefined],
    ['accepted', { ...base, state: 'accepted', acceptedAt: '2026-11-28T09:00:00.000Z' }, '2026-11-28T09:00:00.000Z'],
    ['declined', { ...base, state: 'declined', declinedAt: '2026-11-29T09:00:00.000Z' }, '2026-11-29T09:00:00.000Z'],
    ['superseded', { ...base, state: 'superseded', supersededAt: '2026-11-30T09:00:00.000Z' }, '2026-11-30T09:00:00.000Z'],
    [
      'superseded before supersededAt was recorded',
      { ...base, state: 'superseded', updatedAt: '2026-11-30T08:00:00.000Z' },
      '2026-11-30T08:00:00.000Z',
    ],
    ['expired by the job', { ...base, state: 'expired', expiredAt: '2026-12-26T02:00:00.000Z' }, '2026-12-26T02:00:00.000Z'],
    ['expired, not yet by the job: the end of its last valid day', { ...base, state: 'expired' }, '2026-12-26T00:00:00.000Z'],
  ])('%s', (_, facts, expected) => {
    expect(closedAt(facts)).toBe(expected);
  });
});

describe('the page rule', () => {
  const accepted: ClosingFacts = { ...base, state: 'accepted', acceptedAt: '2026-11-28T09:00:00.000Z' };

  it('shows a closed quote until the retention period is over, then retires it', () => {
    expect(isPageRetired(accepted, day('2026-11-28T09:00:00.000Z', 29.99), 30)).toBe(false);
    expect(isPageRetired(accepted, day('2026-11-28T09:00:00.000Z', 30), 30)).toBe(true);
    expect(isPageRetired(accepted, day('2026-11-28T09:00:00.000Z', 400), 30)).toBe(true);
    expect(isPageRetired(accepted, day('2026-11-28T09:00:00.000Z', 0), 0)).toBe(true);
  });

  it('never retires an open quote, however old', () => {
    expect(isPageRetired(base, day('2026-11-25T10:00:00.000Z', 29), 0)).toBe(false);
    expect(isPageRetired({ ...base, state: 'draft' }, day('2030-01-01T00:00:00.000Z'), 0)).toBe(false);
  });

  it.each(['superseded', 'declined', 'expired'] as const)('retires a %s quote too', (state) => {
    const facts: ClosingFacts = {
      ...base,
      state,
      declinedAt: '2026-11-26T00:00:00.000Z',
      supersededAt: '2026-11-26T00:00:00.000Z',
      expiredAt: '2026-11-26T00:00:00.000Z',
    };
    expect(isPageRetired(facts, day('2026-11-26T00:00:00.000Z', 31), 30)).toBe(true);
    expect(isPageRetired(facts, day('2026-11-26T00:00:00.000Z', 29), 30)).toBe(false);
  });
});

describe('the retention setting', () => {
  const saved = process.env.CLOSED_QUOTE_PAGE_RETENTION_DAYS;
  afterEach(() => {
    if (saved === undefined) delete process.env.CLOSED_QUOTE_PAGE_RETENTION_DAYS;
    else process.env.CLOSED_QUOTE_PAGE_RETENTION_DAYS = saved;
  });

  it('is 30 days by default and read from CLOSED_QUOTE_PAGE_RETENTION_DAYS', () => {
    delete process.env.CLOSED_QUOTE_PAGE_RETENTION_DAYS;
    expect(closedQuotePageRetentionDays()).toBe(30);
    process.env.CLOSED_QUOTE_PAGE_RETENTION_DAYS = '90';
    expect(closedQuotePageRetentionDays()).toBe(90);
  });

  it.each(['-1', '1.5', 'trente'])('refuses %s', (value) => {
    process.env.CLOSED_QUOTE_PAGE_RETENTION_DAYS = value;
    expect(() => closedQuotePageRetentionDays()).toThrow(/whole number of days/);
  });
});

describe('the retired page', () => {
  it('says in French that the quote is no longer available online and whom to ask, with nothing of the quote', () => {
    const html = renderQuoteRetired();
    expect(html).toContain('<html lang="fr"');
    expect(html).toContain('Ce devis n’est plus consultable en ligne');
    expect(html).toMatch(/adressez-vous à la personne qui vous l’a envoyé/);
    const main = html.slice(html.indexOf('<main'), html.indexOf('</main>'));
    expect(main).not.toMatch(/<form|<a |href=/);
    expect(main.replace(/<[^>]+>/g, '')).not.toMatch(/€|\d/); // no number, amount, date or postal code
  });
});
