/**
 * Synthesizes the real app once per test file, without bundling (esbuild is exercised by
 * cdk-synth.test.ts) and without failing on validation errors, so that tests can read the
 * validation report themselves.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { buildApp, type OuiEnsembleApp } from '../../infra/app.ts';

export const ASSERTION_CONTEXT = {
  'aws:cdk:bundling-stacks': [],
  '@aws-cdk/core:failSynthOnValidationErrors': false,
};

export interface ValidationReport {
  readonly pluginReports: readonly {
    readonly pluginName: string;
    readonly conclusion: string;
    readonly violations: readonly {
      readonly ruleName: string;
      readonly description: string;
      readonly severity: string;
      readonly violatingConstructs: readonly { readonly constructPath: string }[];
    }[];
  }[];
}

export interface Synthesized extends OuiEnsembleApp {
  readonly assembly: CloudAssembly;
  readonly statefulTemplate: Template;
  readonly statelessTemplate: Template;
  readonly report: ValidationReport;
}

let cached: Synthesized | undefined;

export function synthesized(): Synthesized {
  if (cached) return cached;
  const built = buildApp(ASSERTION_CONTEXT);
  const assembly = built.app.synth();
  const report = JSON.parse(readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8')) as ValidationReport;
  cached = {
    ...built,
    assembly,
    statefulTemplate: Template.fromStack(built.stateful),
    statelessTemplate: Template.fromStack(built.stateless),
    report,
  };
  return cached;
}

/** The logical id of a construct's CloudFormation resource (its default child, or itself). */
export function logicalId(stack: Stack, construct: { node: { defaultChild?: unknown } }): string {
  const resource = (construct.node.defaultChild ?? construct) as Parameters<Stack['getLogicalId']>[0];
  return stack.resolve(stack.getLogicalId(resource)) as string;
}

/** Resources of one type, as [logicalId, resource] pairs. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- CloudFormation JSON, checked by the assertions
export type CfnJson = Record<string, any>;

export function resourcesOf(
  template: Template,
  type: string,
): [string, { Properties: CfnJson; DeletionPolicy?: string; UpdateReplacePolicy?: string }][] {
  return Object.entries(template.findResources(type)) as [string, { Properties: CfnJson }][];
}
