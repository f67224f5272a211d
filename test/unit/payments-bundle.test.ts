/**
 * The Stripe SDK (240 KiB) reaches only the bundles of the functions granted the Stripe secrets:
 * the payments door loads its Stripe-bound modules on first call (functions/payments/index.ts), so
 * a function that imports the door for the ledger alone (InvoicePayments) does not bundle it, while
 * one that settles a credit note through the door (CreateCreditNote) does. Built as the CDK builds.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { jobs } from '../../functions/jobs.ts';
import { routes } from '../../functions/routes.ts';
import { esbuildOptionsFor, repoRoot } from '../../infra/constructs/bundling.ts';

/** The functions whose handler imports the payments door from another context. */
const functions: readonly { readonly fn: string; readonly handler: string; readonly secrets?: readonly string[] }[] = [...routes, ...jobs];
const throughTheDoor = functions.filter(
  (f) =>
    !f.handler.startsWith('functions/payments/') && readFileSync(path.join(repoRoot, f.handler), 'utf8').includes("/payments/index.ts'"),
);

async function bundlesStripe(handler: string): Promise<boolean> {
  const result = await build({
    ...esbuildOptionsFor(handler, path.join(repoRoot, '.local', 'payments-bundle.mjs')),
    metafile: true,
    write: false,
  });
  const output = Object.values(result.metafile.outputs).find((o) => o.entryPoint !== undefined)!;
  return Object.entries(output.inputs).some(([file, input]) => file.includes('node_modules/stripe/') && input.bytesInOutput > 0);
}

describe('the Stripe SDK in the bundles of the functions using the payments door', () => {
  it('finds them: InvoicePayments (ledger only) and CreateCreditNote (settlement)', () => {
    expect(throughTheDoor.map((f) => f.fn)).toEqual(expect.arrayContaining(['CreateCreditNote', 'InvoicePayments']));
  });

  it.each(throughTheDoor.map((f) => [f.fn, f] as const))(
    '%s bundles it exactly when granted stripeSecretKey',
    { timeout: 60_000 },
    async (_, f) => {
      const granted = (f.secrets ?? []).includes('stripeSecretKey');
      expect(await bundlesStripe(f.handler)).toBe(granted);
    },
  );
});
