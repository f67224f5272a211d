import { adapters } from '../../shared/adapters.ts';
import { httpHandler, ok } from '../../shared/http.ts';
import * as contracts from '../contracts.ts';
import { partnerReferrals } from '../offers.ts';

const ports = () => adapters();

export const handler = httpHandler(contracts.partnerReferrals, async ({ principal, query }) =>
  ok(await partnerReferrals(ports(), principal, query, new Date())),
);
