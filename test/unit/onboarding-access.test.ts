/** The onboarding visibility rule (domain/access.ts), case by case: who sees which record. */
import { describe, expect, it } from 'vitest';
import type { Principal } from '../../functions/shared/auth.ts';
import { canSee, type Visible } from '../../functions/onboarding/domain/access.ts';
import type { Client, Entrepreneur, Etd, Partner } from '../../functions/onboarding/schemas.ts';

const operator: Principal = { sub: 'op', role: 'operator' };
const manager44: Principal = { sub: 'm44', role: 'manager', etd: '44' };
const manager85: Principal = { sub: 'm85', role: 'manager', etd: '85' };
const managerWithoutEtd: Principal = { sub: 'm', role: 'manager' };
const self: Principal = { sub: 'e1', role: 'entrepreneur', etd: '44', entityId: 'ent_1' };
const otherEntrepreneur: Principal = { sub: 'e2', role: 'entrepreneur', etd: '44', entityId: 'ent_2' };
const selfElsewhere: Principal = { sub: 'e1', role: 'entrepreneur', etd: '85', entityId: 'ent_1' };
const partner: Principal = { sub: 'p', role: 'partner', entityId: 'par_1' };
const otherPartner: Principal = { sub: 'p2', role: 'partner', entityId: 'par_2' };

const etd = { code: '44' } as Etd;
const entrepreneur = { id: 'ent_1', etd: '44' } as Entrepreneur;
const client = { id: 'cli_1', etd: '44', entrepreneurId: 'ent_1' } as Client;
const company = { id: 'par_1', departments: ['44', '49'] } as unknown as Partner;

const cases: [string, Principal, Visible, boolean][] = [
  ['an operator, any territory', operator, { etd }, true],
  ['a manager, its territory', manager44, { etd }, true],
  ['a manager, another territory', manager85, { etd }, false],
  ['an entrepreneur, its territory', self, { etd }, true],
  ['a partner, a territory', partner, { etd }, false],
  ['an operator, an entrepreneur', operator, { entrepreneur }, true],
  ['a manager, an entrepreneur of its territory', manager44, { entrepreneur }, true],
  ['a manager, an entrepreneur of another territory', manager85, { entrepreneur }, false],
  ['an entrepreneur, itself', self, { entrepreneur }, true],
  ['an entrepreneur, another one of its territory', otherEntrepreneur, { entrepreneur }, false],
  ['an entrepreneur login of another territory, the same id', selfElsewhere, { entrepreneur }, false],
  ['a partner, an entrepreneur', partner, { entrepreneur }, false],
  ['an operator, a client', operator, { client }, true],
  ['a manager, a client of its territory', manager44, { client }, true],
  ['a manager, a client of another territory', manager85, { client }, false],
  ['the entrepreneur in charge, its client', self, { client }, true],
  ['another entrepreneur, the client', otherEntrepreneur, { client }, false],
  ['a partner, a client', partner, { client }, false],
  ['an operator, a partner', operator, { partner: company }, true],
  ['a manager, a partner working in its territory', manager44, { partner: company }, true],
  ['a manager, a partner not working in its territory', manager85, { partner: company }, false],
  ['a manager without territory, a partner', managerWithoutEtd, { partner: company }, false],
  ['a partner, itself', partner, { partner: company }, true],
  ['a partner, another partner', otherPartner, { partner: company }, false],
  ['an entrepreneur, a partner', self, { partner: company }, false],
];

describe('canSee', () => {
  it.each(cases)('%s → %s', (_, principal, item, expected) => {
    expect(canSee(principal, item)).toBe(expected);
  });
});
