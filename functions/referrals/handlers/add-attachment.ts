import { adapters } from '../../shared/adapters.ts';
import { created, httpHandler } from '../../shared/http.ts';
import * as contracts from '../contracts.ts';
import { addAttachment, present } from '../service.ts';

const ports = () => adapters();

export const handler = httpHandler(contracts.addAttachment, async ({ principal, params, body }) => {
  const { referral, upload } = await addAttachment(ports(), principal, params.id, body, new Date());
  return created({ referral: await present(referral), upload });
});
