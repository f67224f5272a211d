/**
 * Tests that date documents after the demo policy's end renew the CAE's insurance as an operator
 * does (PATCH /etds/{code}/caes/{cae}, through the onboarding use case).
 */
import type { Principal } from '../../functions/shared/auth.ts';
import * as directory from '../../functions/onboarding/service.ts';

const operator: Principal = { sub: 'op-insurance', role: 'operator' };

/** The CAE's insurance, valid until the end of `year` (the rest of the policy unchanged). */
export async function renewCaeInsurance(code: string, cae: 'SAMAD' | 'MSG', year: number): Promise<void> {
  const etd = await directory.getEtd(operator, code);
  const current = etd.caes[cae === 'SAMAD' ? 'samad' : 'msg'].insurance!;
  if (current.validUntil >= `${year}-12-31`) return;
  await directory.updateCaeLegal(
    operator,
    code,
    cae,
    { version: etd.version, insurance: { ...current, validUntil: `${year}-12-31` } },
    new Date(),
  );
}
