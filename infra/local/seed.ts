/**
 * Seeds the demo data once, through the same use cases as the API (so it obeys the same rules).
 * A marker item written last records that the seed completed.
 */
import type { Principal } from '../../functions/shared/auth.ts';
import { CreateClientBody, CreateEntrepreneurBody, CreateEtdBody, CreatePartnerBody } from '../../functions/onboarding/schemas.ts';
import { createClient, createEntrepreneur, createEtd, createPartner, transitionEntrepreneur } from '../../functions/onboarding/service.ts';
import { getItem, isSeeded, keys, markSeeded } from '../../functions/onboarding/store.ts';
import { demoClients, demoEntrepreneurs, demoEtds, demoPartners } from './demo-data.ts';

const operator: Principal = { sub: 'seed', role: 'operator' };

export type SeedOutcome = { created: true } | { created: false; reason: 'already-seeded' | 'partial-data' };

export async function seedDemo(now: Date = new Date()): Promise<SeedOutcome> {
  if (await isSeeded()) return { created: false, reason: 'already-seeded' };
  // Data without the marker: an earlier seed was interrupted, or ETDs were created by hand.
  if (await getItem(keys.etd(demoEtds[0].code))) return { created: false, reason: 'partial-data' };
  for (const etd of demoEtds) await createEtd(operator, CreateEtdBody.parse(etd), now);
  const ids: string[] = [];
  for (const body of demoEntrepreneurs) {
    const e = await createEntrepreneur(operator, CreateEntrepreneurBody.parse(body), now);
    for (const to of ['validated', 'active'] as const) await transitionEntrepreneur(operator, e.id, { to }, now);
    ids.push(e.id);
  }
  for (const { entrepreneur, body } of demoClients) {
    const manager: Principal = { sub: 'seed', role: 'manager', etd: body.etd };
    await createClient(manager, CreateClientBody.parse({ ...body, entrepreneurId: ids[entrepreneur] }), now);
  }
  for (const partner of demoPartners) await createPartner(operator, CreatePartnerBody.parse(partner), now);
  await markSeeded(now);
  return { created: true };
}
