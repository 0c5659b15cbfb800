import { defaultPolicySettings, type CapacityPolicySettings } from "./capacity-policy.js";

/**
 * The policy settings' one set of rules, read by both boundaries: the construct's props (`resolveProps`) and the
 * Lambda's environment (`loadConfig`), which name a setting their own way (the prop, or `environment`).
 */
export interface PolicySettingRule {
  readonly min: number;
  readonly max: number;
  readonly integer: boolean;
  /** The Lambda's environment variable. */
  readonly environment: string;
  /** What the value means, to complete the error's expectation. */
  readonly note?: string;
}

export const policySettingRules = {
  unitsPerAction: { min: 0.01, max: 1024, integer: false, environment: "UNITS_PER_ACTION" },
  scaleInAfterSeconds: { min: 60, max: 86_400, integer: true, environment: "SCALE_IN_AFTER_SECONDS" },
  quickScaleInAfterSeconds: { min: 60, max: 86_400, integer: true, environment: "QUICK_SCALE_IN_AFTER_SECONDS" },
  quickScaleInFraction: { min: 0, max: 1, integer: false, environment: "QUICK_SCALE_IN_FRACTION", note: "0: off" },
  bootSeconds: { min: 0, max: 3600, integer: true, environment: "BOOT_SECONDS", note: "launch to a registered worker" },
  rateWindowSeconds: { min: 60, max: 3600, integer: true, environment: "RATE_WINDOW_SECONDS" },
} as const satisfies Record<keyof CapacityPolicySettings, PolicySettingRule>;

export type PolicySettingName = keyof typeof policySettingRules;
export const policySettingNames = Object.keys(policySettingRules) as PolicySettingName[];

/** "a whole number from 60 to 86400", "a number from 0 to 1 (0: off)". */
export function expectation(rule: PolicySettingRule): string {
  return `${rule.integer ? "a whole number" : "a number"} from ${rule.min} to ${rule.max}${rule.note ? ` (${rule.note})` : ""}`;
}

/** A problem with one setting: which, the value given, and what it must be instead (completes "<name> ..."). */
export interface PolicySettingProblem {
  readonly setting: PolicySettingName;
  readonly value: unknown;
  readonly message: string;
}

const fits = (rule: PolicySettingRule, value: unknown): value is number =>
  typeof value === "number" && Number.isFinite(value) && (!rule.integer || Number.isInteger(value)) && value >= rule.min && value <= rule.max;

/**
 * The settings with their defaults for those undefined, or every problem: a value outside its rule ("must be …"), or
 * a quick scale-in period longer than the full one. `name` spells another setting inside a message (the env's name).
 */
export function resolvePolicySettings(
  values: Readonly<Partial<Record<PolicySettingName, unknown>>>,
  name: (setting: PolicySettingName) => string = (setting) => setting,
): { settings: CapacityPolicySettings; problems: PolicySettingProblem[] } {
  const problems: PolicySettingProblem[] = [];
  const settings = { ...defaultPolicySettings };
  for (const setting of policySettingNames) {
    const value = values[setting];
    if (value === undefined) continue;
    const rule: PolicySettingRule = policySettingRules[setting];
    if (fits(rule, value)) settings[setting] = value;
    else problems.push({ setting, value, message: `must be ${expectation(rule)}` });
  }
  if (problems.length === 0 && settings.quickScaleInAfterSeconds > settings.scaleInAfterSeconds) {
    problems.push({
      setting: "quickScaleInAfterSeconds",
      value: settings.quickScaleInAfterSeconds,
      message: `must not be longer than ${name("scaleInAfterSeconds")} (${settings.scaleInAfterSeconds})`,
    });
  }
  return { settings, problems };
}
