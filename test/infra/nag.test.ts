/**
 * cdk-nag (AwsSolutions) on the whole app: no finding left, errors or warnings, on any stack;
 * and every acknowledgement is narrow (a resource, never a stack), reasoned, and still needed.
 */
import { App, CfnResource, Stack, Validations, type Acknowledgment } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { routeKey, routes } from '../../functions/routes.ts';
import { buildApp } from '../../infra/app.ts';
import { ASSERTION_CONTEXT, synthesized } from './synth.ts';

const NAG_PLUGIN = 'AwsSolutions';

interface Recorded {
  readonly path: string;
  readonly scope: IConstruct;
  readonly id: string;
  readonly reason: string;
}

/** Acknowledgements as recorded in the construct tree of the real app. */
function acknowledgementsIn(root: IConstruct): Recorded[] {
  const found: Recorded[] = [];
  for (const scope of root.node.findAll()) {
    for (const entry of scope.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [qualified, reason] of Object.entries(entry.data as Record<string, string>)) {
        found.push({ path: scope.node.path, scope, id: qualified.replace(/^annotation::/i, ''), reason });
      }
    }
  }
  return found;
}

describe('cdk-nag AwsSolutions', () => {
  const { app, stateful, stateless, report } = synthesized();

  it('leaves no unacknowledged finding (error or warning) in the validation report', () => {
    const findings = report.pluginReports
      .filter((r) => r.pluginName === NAG_PLUGIN)
      .flatMap((r) =>
        r.violations.map((v) => `${v.severity} ${v.ruleName} at ${v.violatingConstructs.map((c) => c.constructPath).join(', ')}`),
      );
    expect(findings).toEqual([]);
  });

  it('leaves no template-validation warning either', () => {
    const others = report.pluginReports.flatMap((r) => r.violations.map((v) => `${r.pluginName}: ${v.severity} ${v.ruleName}`));
    expect(others).toEqual([]);
  });

  it.each([
    ['stateful', () => stateful],
    ['stateless', () => stateless],
  ])('leaves no error or warning annotation on the %s stack', (_name, stack) => {
    const annotations = Annotations.fromStack(stack());
    expect(annotations.findError('*', Match.anyValue())).toEqual([]);
    expect(annotations.findWarning('*', Match.anyValue())).toEqual([]);
  });

  it.each([
    ['stateful', () => stateful],
    ['stateless', () => stateless],
  ])('gives zero findings on the %s stack', (_name, stack) => {
    const result = new AwsSolutionsChecks().validateScope(stack());
    expect(result.violations.map((v) => `${v.severity} ${v.ruleName}`)).toEqual([]);
    expect(result.success).toBe(true);
  });

  it('acknowledges on resources only (never the app or a stack), each with a one-line reason', () => {
    const acks = acknowledgementsIn(app);
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      expect(ack.scope instanceof App || Stack.isStack(ack.scope), `${ack.id} on ${ack.path}`).toBe(false);
      expect(ack.reason.trim().length, `${ack.id} on ${ack.path}`).toBeGreaterThan(20);
      expect(ack.reason, `${ack.id} on ${ack.path}`).not.toMatch(/\n/);
    }
  });

  it('waives API authorization (APIG4) on exactly the public routes of the route table', () => {
    const waived = acknowledgementsIn(app)
      .filter((a) => a.id === 'AwsSolutions-APIG4')
      .map((a) => a.path);
    // Each route lives in its context's nested stack, beside its function.
    const routeScope = (fn: string) => Stack.of(stateless.functions.get(fn)!);
    const publicRoutes = routes.filter((r) => r.auth === 'public').map((r) => `${routeScope(r.fn).node.path}/Route-${r.fn}`);
    expect(waived.sort()).toEqual(publicRoutes.sort());
    for (const route of routes.filter((r) => r.auth === 'public')) {
      expect(
        acknowledgementsIn(routeScope(route.fn).node.findChild(`Route-${route.fn}`))
          .map((a) => a.reason)
          .join(),
      ).toContain(routeKey(route));
    }
  });
});

describe('cdk-nag acknowledgements are all still needed', () => {
  // Build a second app in which acknowledge() only records: cdk-nag then reports every raw
  // finding, and each must be covered by a recorded acknowledgement on the resource or one of
  // its ancestors, while each acknowledgement must cover at least one finding.
  const recorded: Recorded[] = [];
  const spy = vi.spyOn(Validations.prototype, 'acknowledge').mockImplementation(function (this: Validations, ...rules: Acknowledgment[]) {
    const scope = (this as unknown as { scope: IConstruct }).scope;
    for (const rule of rules) recorded.push({ path: scope.node.path, scope, id: rule.id, reason: rule.reason });
  });
  const { app } = buildApp(ASSERTION_CONTEXT);
  app.synth();
  spy.mockRestore();
  const raw = new AwsSolutionsChecks()
    .validateScope(app)
    .violations.flatMap((v) => v.violatingResources.map((r) => ({ rule: v.ruleName, path: r.constructPath ?? '' })));
  afterAll(() => spy.mockRestore());

  const covers = (ack: Recorded, finding: { rule: string; path: string }) =>
    ack.id === finding.rule && (finding.path === ack.path || finding.path.startsWith(`${ack.path}/`));

  it('finds real findings to start with (the check is live)', () => {
    expect(raw.length).toBeGreaterThan(0);
  });

  it('covers every raw finding with an acknowledgement', () => {
    const uncovered = raw.filter((f) => !recorded.some((a) => covers(a, f)));
    expect(uncovered).toEqual([]);
  });

  it('has no stale acknowledgement', () => {
    const stale = recorded.filter((a) => !raw.some((f) => covers(a, f))).map((a) => `${a.id} on ${a.path}`);
    expect(stale).toEqual([]);
  });

  it("acknowledges each finding on its own resource or that resource's own construct", () => {
    for (const finding of raw) {
      const ack = recorded.find((a) => covers(a, finding))!;
      const depth = finding.path.split('/').length - ack.path.split('/').length;
      expect(depth, `${finding.rule} at ${finding.path} acknowledged on ${ack.path}`).toBeLessThanOrEqual(1);
      expect(CfnResource.isCfnResource(ack.scope) || ack.scope.node.defaultChild !== undefined, ack.path).toBe(true);
    }
  });
});
