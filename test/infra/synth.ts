/**
 * Synthesizes the real app once per test file, without bundling (esbuild is exercised by
 * cdk-synth.test.ts) and without failing on validation errors, so that tests can read the
 * validation report themselves.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { NestedStack, Stack } from 'aws-cdk-lib';
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
  /** The stateless stack and its nested stacks as one template (`flattenNested`), imports shown as their producers' values. */
  readonly statelessTemplate: Template;
  /** A token as the flattened stateless template shows it (a stateful resource: its own `Ref` / `Fn::GetAtt`). */
  readonly resolveStateless: (token: unknown) => unknown;
  readonly report: ValidationReport;
}

let cached: Synthesized | undefined;

export function synthesized(): Synthesized {
  if (cached) return cached;
  const built = buildApp(ASSERTION_CONTEXT);
  const assembly = built.app.synth();
  const report = JSON.parse(readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8')) as ValidationReport;
  const statefulTemplate = Template.fromStack(built.stateful);
  const fromImports = importsAsValues(statefulTemplate.toJSON() as TemplateJson);
  cached = {
    ...built,
    assembly,
    statefulTemplate,
    statelessTemplate: Template.fromJSON(fromImports(flattenedStateless(built)) as TemplateJson),
    resolveStateless: (token) => fromImports(built.stateless.resolve(token)),
    report,
  };
  return cached;
}

/**
 * The logical id of a construct's CloudFormation resource (its default child, or itself), in the
 * stack that holds it (a context's nested stack for a function): the id it keeps in the flattened
 * stateless template. `_stack` names the top-level stack the test reads.
 */
export function logicalId(_stack: Stack, construct: { node: { defaultChild?: unknown } }): string {
  const resource = (construct.node.defaultChild ?? construct) as Parameters<Stack['getLogicalId']>[0];
  const holder = Stack.of(resource);
  return holder.resolve(holder.getLogicalId(resource)) as string;
}

type Json = Record<string, unknown>;
/** A template as CloudFormation JSON. */
export interface TemplateJson {
  readonly Resources: Record<string, Json & { Type: string; Properties?: Json; Metadata?: Json }>;
  readonly Parameters?: Record<string, Json>;
  readonly Outputs?: Record<string, { Value: unknown }>;
  readonly [key: string]: unknown;
}

/**
 * The stateless stack with its nested stacks folded in, as if it were one template: each nested
 * stack's resources join the parent's (their logical ids are unique across the app's stacks, which
 * the fold checks), a nested stack's parameter becomes the value its parent passes, and a parent's
 * `Fn::GetAtt [nested, Outputs.X]` becomes the output's value. The assertions then read one template
 * whatever the split, and `stack.resolve(token)` still matches what a function receives.
 * `nestedOf(id, resource)` answers the template of the parent's nested-stack resource `id`.
 */
export function flattenNested(parent: TemplateJson, nestedOf: (id: string, resource: Json) => TemplateJson): TemplateJson {
  const nested = Object.entries(parent.Resources)
    .filter(([, r]) => r.Type === 'AWS::CloudFormation::Stack')
    .map(([id, r]) => ({ id, parameters: (r.Properties?.Parameters ?? {}) as Json, template: nestedOf(id, r) }));
  const outputs = new Map(nested.map((n) => [n.id, n.template.Outputs ?? {}]));
  const resolveParent = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(resolveParent);
    if (value && typeof value === 'object') {
      const getAtt = (value as Json)['Fn::GetAtt'];
      if (Array.isArray(getAtt) && outputs.has(getAtt[0] as string) && String(getAtt[1]).startsWith('Outputs.')) {
        const output = outputs.get(getAtt[0] as string)![String(getAtt[1]).slice('Outputs.'.length)];
        if (!output) throw new Error(`no output ${getAtt[1]} in nested stack ${getAtt[0]}`);
        return resolveParent(output.Value);
      }
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveParent(v)]));
    }
    return value;
  };
  const resources: TemplateJson['Resources'] = {};
  const add = (id: string, resource: TemplateJson['Resources'][string]) => {
    if (id in resources) throw new Error(`logical id ${id} is in two stacks: the fold would lose one`);
    resources[id] = resource;
  };
  for (const [id, r] of Object.entries(parent.Resources)) if (r.Type !== 'AWS::CloudFormation::Stack') add(id, resolveParent(r) as never);
  for (const n of nested) {
    const parameters = n.parameters;
    const inline = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(inline);
      if (value && typeof value === 'object') {
        const ref = (value as Json).Ref;
        if (typeof ref === 'string' && ref in parameters) return resolveParent(parameters[ref]);
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, inline(v)]));
      }
      return value;
    };
    for (const [id, r] of Object.entries(n.template.Resources)) add(id, inline(r) as never);
  }
  return { ...parent, Resources: resources };
}

/** Replaces each `Fn::ImportValue` of the producer's exports by the value it exports. */
export function importsAsValues(producer: TemplateJson): (value: unknown) => unknown {
  const exported = new Map(
    Object.values(producer.Outputs ?? {})
      .filter(
        (o): o is { Value: unknown; Export: { Name: string } } => typeof (o as { Export?: { Name?: unknown } }).Export?.Name === 'string',
      )
      .map((o) => [o.Export.Name, o.Value]),
  );
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (value && typeof value === 'object') {
      const name = (value as Json)['Fn::ImportValue'];
      if (typeof name === 'string' && exported.has(name)) return exported.get(name);
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
    }
    return value;
  };
  return walk;
}

function flattenedStateless(built: OuiEnsembleApp): TemplateJson {
  const byId = new Map(
    [...built.stateless.node.findAll()]
      .filter((c): c is NestedStack => c instanceof NestedStack)
      .map((n) => [logicalId(built.stateless, n.nestedStackResource!), n]),
  );
  return flattenNested(Template.fromStack(built.stateless).toJSON() as TemplateJson, (id) => {
    const nested = byId.get(id);
    if (!nested) throw new Error(`no nested stack behind ${id}`);
    return Template.fromStack(nested).toJSON() as TemplateJson;
  });
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
