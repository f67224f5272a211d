/**
 * R2 webhooks: a batch of invoices paid by card on the Stripe stand-in, whose events are held
 * back, then each delivered 1–5 times (signed by the stand-in with the SDK's test header), in a
 * shuffled order, all at once, to the local server's webhook route — except every event of one
 * payment, dropped. Checked: one payment recorded per invoice, none for the dropped one; then the
 * reconciliation job (its handler) records the dropped payment, and a second run and late
 * deliveries of the dropped events change nothing.
 */
import type { Context, ScheduledEvent } from 'aws-lambda';
import { expect } from 'vitest';
import { buildLambdaContext } from '../../infra/local/apigw.ts';
import { buildScheduledEvent } from '../../infra/local/scheduler.ts';
import { pool, random, report, shuffle, size } from './support.ts';
import { call, type World } from './world.ts';

export async function runR2(world: World): Promise<void> {
  const started = performance.now();
  const count = size(50, 10);
  const rand = random(0x5eed2);
  const { server, a } = world;
  {
    const title = (i: number) => `Entretien du jardin ${i + 1}`;
    const invoices = await pool(
      Array.from({ length: count }, (_, i) => i),
      4,
      async (i) => {
        const draft = await world.api(a.manager, 'POST', '/invoices', {
          etd: '44',
          cae: 'MSG',
          entrepreneurId: a.entrepreneurId,
          clientId: a.clientId,
          kind: 'standard',
          title: title(i),
          dueDays: 30,
          lines: [
            { description: 'Tonte et taille', kind: 'labour', quantity: 2 + (i % 5), unit: 'h', unitPriceCents: 3_100 + i, vatRate: '20' },
          ],
        });
        const issued = await world.api(a.manager, 'POST', `/invoices/${draft.json.id}/issue`);
        expect(issued.status, issued.text).toBe(200);
        return issued.json as { id: string; links: { pay: string }; totals: { grossCents: number } };
      },
    );

    // Every event of the batch is held back by the stand-in (recorded, not delivered).
    await server.stripe.idle();
    const eventsBefore = new Set(server.stripe.events().map((e) => e.id as string));
    server.stripe.dropNextWebhook(1_000_000);
    const sessions = new Map<string, string>(); // session → invoice
    for (const invoice of invoices) {
      const checkout = await call(`${invoice.links.pay}/checkout`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: '',
      });
      expect(checkout.status, checkout.text.slice(0, 300)).toBe(303);
      const location =
        (
          await fetch(`${invoice.links.pay}/checkout`, {
            method: 'POST',
            redirect: 'manual',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: '',
          })
        ).headers.get('location') ?? '';
      const session = /\/pay\/(cs_[A-Za-z0-9_]+)/.exec(location)?.[1];
      expect(session, location).toBeDefined();
      sessions.set(session!, invoice.id);
      server.stripe.pay(session!, 'card');
    }
    const batch = server.stripe.events().filter((e) => !eventsBefore.has(e.id as string));
    // Which payment each event belongs to: the session, or the PaymentIntent of a session.
    const intentToSession = new Map<string, string>();
    for (const id of sessions.keys()) {
      const pi = server.stripe.session(id)?.payment_intent;
      if (typeof pi === 'string') intentToSession.set(pi, id);
    }
    const sessionOf = (event: Record<string, any>): string | undefined => {
      const o = event.data.object;
      if (sessions.has(o.id)) return o.id;
      return intentToSession.get(o.payment_intent ?? o.id);
    };
    const droppedSession = [...sessions.keys()][Math.floor(rand() * sessions.size)]!;
    const droppedInvoice = sessions.get(droppedSession)!;
    const dropped = batch.filter((e) => sessionOf(e) === droppedSession);
    const delivered = batch.filter((e) => sessionOf(e) !== droppedSession);
    const copies = delivered.flatMap((e) => Array.from({ length: 1 + Math.floor(rand() * 5) }, () => e.id as string));
    const t = performance.now();
    const attempts = (await Promise.all(shuffle(copies, rand).map((id) => server.stripe.redeliver(id, 1)))).flat();
    await server.stripe.idle();
    const deliverSeconds = (performance.now() - t) / 1000;
    const deliveries = server.stripe.deliveries().filter((d) => d.redelivery);
    const statusCounts = new Map<string, number>();
    for (const d of deliveries) statusCounts.set(String(d.status), (statusCounts.get(String(d.status)) ?? 0) + 1);

    const paymentsOf = async (id: string) =>
      ((await world.api(a.manager, 'GET', `/invoices/${id}/payments`)).json.items as any[]).filter(
        (p) => p.kind === 'payment' && p.status === 'succeeded',
      );
    const counts = async () => new Map(await Promise.all(invoices.map(async (i) => [i.id, (await paymentsOf(i.id)).length] as const)));
    const afterDelivery = await counts();

    const reconcile = async () => {
      const { handler } = await import('../../functions/payments/handlers/reconcile-payments.ts');
      const context: Context = buildLambdaContext({ functionName: 'ReconcilePayments', timeoutMs: 300_000 });
      return (await handler(buildScheduledEvent({ fn: 'ReconcilePayments' }, new Date()) as unknown as ScheduledEvent, context)) as {
        checked: number;
        recovered: number;
        mismatches: number;
      };
    };
    const first = await reconcile();
    const afterReconcile = await counts();
    const second = await reconcile();
    // The dropped events arrive late, twice each, after the reconciliation recorded the payment.
    await Promise.all(dropped.map((e) => server.stripe.redeliver(e.id as string, 2)));
    await server.stripe.idle();
    const afterLate = await counts();
    const invoiceStates = await Promise.all(
      invoices.map(async (i) => (await world.api(a.manager, 'GET', `/invoices/${i.id}`)).json.state as string),
    );

    const wrong = (m: Map<string, number>, expectDropped: number) =>
      invoices.filter((i) => m.get(i.id) !== (i.id === droppedInvoice ? expectDropped : 1)).length;
    // A delivery answered non-2xx (409 while a copy of the same event is in progress) is retried by the stand-in as by Stripe: count the final outcomes.
    const failedDeliveries = attempts.filter((d) => !d.ok).length;
    report({
      id: 'R2',
      title: 'Stripe webhooks delivered 1–5 times, shuffled, concurrent, one payment dropped',
      size: `${count} invoices paid by card`,
      head: ['step', 'invoices with exactly one payment', 'invoices with none', 'invoices with more than one'],
      rows: [
        [
          'after the deliveries',
          `${[...afterDelivery.values()].filter((n) => n === 1).length}`,
          `${[...afterDelivery.values()].filter((n) => n === 0).length}`,
          `${[...afterDelivery.values()].filter((n) => n > 1).length}`,
        ],
        [
          'after reconciliation',
          `${[...afterReconcile.values()].filter((n) => n === 1).length}`,
          `${[...afterReconcile.values()].filter((n) => n === 0).length}`,
          `${[...afterReconcile.values()].filter((n) => n > 1).length}`,
        ],
        [
          'after late deliveries of the dropped events',
          `${[...afterLate.values()].filter((n) => n === 1).length}`,
          `${[...afterLate.values()].filter((n) => n === 0).length}`,
          `${[...afterLate.values()].filter((n) => n > 1).length}`,
        ],
      ],
      notes: [
        `Events of the batch: ${batch.length} (${[...new Set(batch.map((e) => e.type as string))].join(', ')}); ${dropped.length} dropped (one payment); ${copies.length} deliveries of the ${delivered.length} others (1–5 each, shuffled, all at once) in ${deliverSeconds.toFixed(1)} s.`,
        `Delivery attempts by HTTP status: ${[...statusCounts].map(([s, n]) => `${s} × ${n}`).join(', ')}; deliveries that still failed after Stripe's retries: ${failedDeliveries}.`,
        `Reconciliation: first run checked ${first.checked}, recovered ${first.recovered}, mismatches ${first.mismatches}; second run recovered ${second.recovered}, mismatches ${second.mismatches}.`,
        `Invoices paid in the end: ${invoiceStates.filter((s) => s === 'paid').length} of ${count}.`,
      ],
      seconds: (performance.now() - started) / 1000,
    });
    expect(attempts.length).toBe(copies.length);
    expect(wrong(afterDelivery, 0)).toBe(0);
    expect(failedDeliveries).toBe(0);
    expect(first.recovered).toBe(1);
    expect(wrong(afterReconcile, 1)).toBe(0);
    expect(second.recovered).toBe(0);
    expect(wrong(afterLate, 1)).toBe(0);
    expect(invoiceStates.every((s) => s === 'paid')).toBe(true);
  }
}
