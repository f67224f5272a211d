/**
 * What a client's attestations look like from outside (no document internals), and their list with
 * a link to each PDF. Apart from attestations.ts so that the listing function does not bundle the PDF
 * engine that issuing needs.
 */
import type { Adapters } from '../shared/adapters.ts';
import { type AttestationRecord, attestationsOfClient } from './store.ts';

export const presentAttestation = (a: AttestationRecord) => {
  const { documentKey: _k, documentSource: _s, documentSha256: _h, fingerprint: _f, documentPending: _p, ...view } = a;
  return view;
};

/** A client's attestations with a short-lived link to each PDF (the caller checked it may see the client). */
export async function attestationsWithLinks(ports: Pick<Adapters, 'documents'>, clientId: string) {
  const items = (await attestationsOfClient(clientId)).filter((a) => !a.documentPending).sort((a, b) => a.number.localeCompare(b.number));
  return {
    items: await Promise.all(
      items.map(async (a) => ({
        ...presentAttestation(a),
        pdf: await ports.documents.link(a.documentKey, { ttlSeconds: 300, fileName: `Attestation fiscale ${a.year} ${a.number}.pdf` }),
      })),
    ),
  };
}
