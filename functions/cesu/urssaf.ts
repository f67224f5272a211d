/**
 * The port to URSSAF's third-party CESU declaration API (API Tierce Déclaration Cesu,
 * https://www.api.gouv.fr/les-api/api-declaration-cesu, LEGAL-FR §1.1). Calling it needs an
 * habilitation (DataPass) that the network does not hold: in the cloud the port is NOT connected,
 * and a declaration is submitted by hand on cesu.urssaf.fr, its reference then recorded here
 * (POST …/submit with `reference`). Offline, the local runtime and the tests install a stand-in
 * (infra/local/urssaf-cesu.ts) that accepts a declaration and answers a reference, as the API would.
 */
import type { DeclarationFigures } from './domain/declaration.ts';

export interface CesuSubmission {
  readonly cesuNumber: string;
  readonly period: string;
  readonly workers: readonly {
    readonly workerId: string;
    readonly hours: number;
    readonly declaredNetHourlyCents: number;
    readonly netCents: number;
  }[];
}

export interface CesuDeclarationPort {
  /** False when no connection exists: the caller asks for the reference given by cesu.urssaf.fr. */
  readonly connected: boolean;
  submit(submission: CesuSubmission): Promise<{ readonly reference: string }>;
}

const notConnected: CesuDeclarationPort = {
  connected: false,
  submit: () => Promise.reject(new Error('the URSSAF CESU API is not connected (no habilitation)')),
};

let installed: CesuDeclarationPort | undefined;

/** The port of this runtime: the stand-in when the local runtime installed it, else not connected. */
export const cesuPort = (): CesuDeclarationPort => installed ?? notConnected;

/** The local runtime and the tests install the stand-in here. */
export function useCesuPort(port: CesuDeclarationPort | undefined): void {
  installed = port;
}

export const submissionOf = (cesuNumber: string, f: DeclarationFigures): CesuSubmission => ({
  cesuNumber,
  period: f.period,
  workers: f.workers.map((w) => ({
    workerId: w.workerId,
    hours: w.hours,
    declaredNetHourlyCents: w.declaredNetHourlyCents,
    netCents: w.netCents,
  })),
});
