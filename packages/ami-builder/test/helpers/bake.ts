import { parse } from "yaml";
import { warmPoolComponent } from "../../src/warm-pool-component.js";
import { ARCHITECTURES } from "../../src/architectures.js";
import { bootstrapComponent, nativelinkComponent, unitsComponent, type ComponentSpec } from "../../src/components.js";
import { actionsComponent } from "../../src/action-components.js";
import { awsCliComponent, drainWatcherComponent, drainWatcherUnitComponent } from "../../src/drain-components.js";
import { cloudWatchComponent, otelcolComponent } from "../../src/observability-components.js";
import type { NativeLinkImageProps } from "../../src/props.js";
import { resolveBakeSettings, type BakeSettings } from "../../src/resolve-props.js";

/** Stand-in checksums: the tests never download anything. */
export const TEST_SHA256 = {
  nativelink: { x86_64: "1".repeat(64), arm64: "2".repeat(64) },
  otelcol: { x86_64: "3".repeat(64), arm64: "4".repeat(64) },
};

/** The smallest props that bake. */
export const BAKE_PROPS: NativeLinkImageProps = {
  vpcId: "vpc-0123456789abcdef0",
  subnetId: "subnet-0123456789abcdef0",
  nativelinkSha256: TEST_SHA256.nativelink,
  otelcolSha256: TEST_SHA256.otelcol,
};

export function bakeSettings(overrides: NativeLinkImageProps = {}): BakeSettings {
  return resolveBakeSettings("Test/Image", { ...BAKE_PROPS, ...overrides });
}

/** Every distinct component document of a bake, both architectures. */
export function allComponents(settings: BakeSettings = bakeSettings()): ComponentSpec[] {
  const specs = ARCHITECTURES.flatMap((architecture) => [
    nativelinkComponent(settings, architecture),
    bootstrapComponent(settings),
    unitsComponent(settings),
    warmPoolComponent(settings),
    actionsComponent(settings),
    awsCliComponent(settings, architecture),
    drainWatcherComponent(settings),
    drainWatcherUnitComponent(settings),
    otelcolComponent(settings, architecture),
    cloudWatchComponent(settings, architecture),
  ]);
  return [...new Map(specs.map((spec) => [spec.name, spec])).values()];
}

export interface ParsedStep {
  readonly phase: string;
  readonly name: string;
  readonly action: string;
  readonly script: string;
}

interface ParsedDocument {
  readonly name: string;
  readonly description: string;
  readonly schemaVersion: unknown;
  readonly phases: {
    readonly name: string;
    readonly steps: { readonly name: string; readonly action: string; readonly inputs: { readonly commands: string[] } }[];
  }[];
}

export function parseComponent(spec: ComponentSpec): ParsedDocument {
  return parse(spec.document, { strict: true, uniqueKeys: true }) as ParsedDocument;
}

/** The bash script of every step, in document order. */
export function componentSteps(spec: ComponentSpec): ParsedStep[] {
  return parseComponent(spec).phases.flatMap((phase) =>
    phase.steps.map((step) => ({ phase: phase.name, name: step.name, action: step.action, script: step.inputs.commands.join("\n") })),
  );
}

export function step(spec: ComponentSpec, name: string): ParsedStep {
  const found = componentSteps(spec).find((candidate) => candidate.name === name);
  if (!found) throw new Error(`${spec.name} has no step ${name}`);
  return found;
}
