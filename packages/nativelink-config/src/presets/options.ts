/** Option schemas shared by the role presets, and how option errors are reported. */
import { z } from "zod";
import { bootPlaceholder } from "../boot-env.js";
import { NativeLinkConfigError, fromZodIssues } from "../errors.js";
import { suggestion } from "../schema/strict.js";
import { parseWholePlaceholder } from "../values/placeholder.js";
import { U32_MAX } from "../values/size.js";

/** A literal that must match `literal`, or one `${NAME:-default}` whose default matches it. */
export function literalOrPlaceholder(what: string, literal: RegExp, example: string, placeholderExample: string) {
  return z.string().superRefine((value, ctx) => {
    const whole = parseWholePlaceholder(value);
    const text = whole ? whole.fallback : value;
    if (text === undefined || literal.test(text)) return;
    const where = whole ? `the placeholder default "${text}"` : `"${value}"`;
    ctx.addIssue({
      code: "custom",
      message: `${where} is not ${what}; write e.g. "${example}", or a placeholder such as ${placeholderExample}`,
    });
  });
}

export const regionOption = literalOrPlaceholder("an AWS region", /^[a-z]{2}(-[a-z]+)+-\d+$/, "us-west-2", "${NATIVELINK_REGION:-us-west-2}");

/** Today's S3 naming rules; a placeholder's default is free, so that it can be made invalid on purpose. */
export const bucketOption = z.string().superRefine((value, ctx) => {
  if (parseWholePlaceholder(value)) return;
  const valid = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(value) && !value.includes("..") && !/^\d+\.\d+\.\d+\.\d+$/.test(value);
  if (!valid) {
    ctx.addIssue({
      code: "custom",
      message:
        `"${value}" is not an S3 bucket name (3-63 characters: a-z, 0-9, "." and "-", starting and ending ` +
        `with a letter or digit); pass the bucket's name or a placeholder such as \${NATIVELINK_BUCKET}`,
    });
  }
});

export const keyPrefixOption = z.string().regex(/^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*\/$/, {
  error: 'a key prefix is one or more path segments ending in "/", e.g. "cas/" (NativeLink does not expand placeholders here)',
});

export const portOption = z
  .number({ error: "expected a TCP port number" })
  .int({ error: "expected an integer TCP port" })
  .min(1, { error: "a TCP port is between 1 and 65535" })
  .max(65535, { error: "a TCP port is between 1 and 65535" });

export const listenAddressOption = z.string().regex(/^(\d{1,3}(\.\d{1,3}){3}|\[[0-9a-fA-F:]+\])$/, {
  error: 'expected an IPv4 address such as "0.0.0.0" or a bracketed IPv6 address such as "[::]"',
});

export const instanceNameOption = z.string().regex(/^[A-Za-z0-9_./-]*$/, {
  error: 'an instance name uses letters, digits, "_", ".", "/" and "-" (Bazel: --remote_instance_name)',
});

export const healthPathOption = z.string().regex(/^\/[A-Za-z0-9_./-]*$/, { error: 'an HTTP path starting with "/", e.g. "/status"' });

export const absoluteDirOption = z.string().regex(/^(\/[A-Za-z0-9_.@+-]+)+$/, {
  error: 'an absolute directory without a trailing "/", spaces or placeholders, e.g. "/mnt/nativelink"',
});

export const secondsOption = (max: bigint = U32_MAX) =>
  z.number().int({ error: "expected whole seconds" }).min(0, { error: "expected 0 or more seconds" }).max(Number(max));

/**
 * S3 objects older than this count as missing (`consider_expired_after_s`): one value for both stores, or
 * one per store so each stays below its own bucket expiration rule. 0 means never.
 */
export type ConsiderExpiredAfter = number | { readonly cas: number; readonly ac: number };

/** The options of `bucketLayoutShape`, with their TSDoc: where the cache lives in S3. Every role's options extend it. */
export interface BucketLayoutOptions {
  /** AWS region of the bucket, or a placeholder. @default "${NATIVELINK_REGION:-us-east-1}" */
  region?: string;
  /** Name of the CAS bucket, or a placeholder. @default "${NATIVELINK_BUCKET:-unset:NATIVELINK_BUCKET}" */
  bucket?: string;
  /** Key prefix of CAS blobs in the bucket. @default "cas/" */
  casKeyPrefix?: string;
  /** Key prefix of action-cache entries in the bucket. @default "ac/" */
  acKeyPrefix?: string;
  /**
   * Objects whose last upload is older than this count as missing (S3 store `consider_expired_after_s`);
   * set it a few days below the bucket's expiration rule. 0 means never.
   * @default 0
   */
  considerExpiredAfterSeconds?: ConsiderExpiredAfter;
}

/** Options every cluster role shares: where the cache lives in S3 (region and bucket from the boot env). */
export function bucketLayoutShape() {
  return {
    region: regionOption.default(bootPlaceholder("region")),
    bucket: bucketOption.default(bootPlaceholder("bucket")),
    casKeyPrefix: keyPrefixOption.default("cas/"),
    acKeyPrefix: keyPrefixOption.default("ac/"),
    considerExpiredAfterSeconds: z.union([secondsOption(), z.strictObject({ cas: secondsOption(), ac: secondsOption() })]).default(0),
  };
}

/**
 * Options of the cluster's server roles (CAS, scheduler): the bucket layout, and a gRPC listener on every address with
 * the health route; `port` is the role's own default.
 */
export function clusterServerShape(port: number) {
  return {
    ...bucketLayoutShape(),
    instanceName: instanceNameOption.default("main"),
    listenAddress: listenAddressOption.default("0.0.0.0"),
    port: portOption.default(port),
    healthPath: healthPathOption.default("/status"),
  };
}

/** CAS and AC objects must not share a key space, or a bucket rule for one would hit the other. */
export function checkPrefixes(options: { casKeyPrefix: string; acKeyPrefix: string }, ctx: z.RefinementCtx): void {
  const { casKeyPrefix: cas, acKeyPrefix: ac } = options;
  if (cas.startsWith(ac) || ac.startsWith(cas)) {
    ctx.addIssue({
      code: "custom",
      path: ["acKeyPrefix"],
      message: `"${ac}" overlaps casKeyPrefix "${cas}"; give the action cache a prefix of its own, e.g. "ac/"`,
    });
  }
}

/** A preset's second listener needs a port other than `port`; `fix` says what that port is for. */
export function checkSecondPort<Key extends string>(options: { port: number } & Record<Key, number>, key: Key, fix: string, ctx: z.RefinementCtx): void {
  if (options.port !== options[key]) return;
  ctx.addIssue({ code: "custom", path: [key], message: `equals port ${options.port}; ${fix}` });
}

/** `z.strictObject` for preset options, with a message that names the allowed options. */
export function strictOptions<Shape extends z.ZodRawShape>(shape: Shape) {
  const allowed = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code !== "unrecognized_keys") return undefined;
      const hint = issue.keys.length === 1 ? suggestion(issue.keys[0]!, allowed) : undefined;
      return `unknown option ${issue.keys.map((key) => `"${key}"`).join(", ")}${hint ? ` (did you mean "${hint}"?)` : ""}; allowed: ${allowed.join(", ")}`;
    },
  });
}

/** Validates preset options; errors name the preset and the option, e.g. `workerConfig.mountPath`. */
export function resolveOptions<Schema extends z.ZodType>(preset: string, schema: Schema, input: unknown): z.output<Schema> {
  const parsed = schema.safeParse(input ?? {});
  if (!parsed.success) throw new NativeLinkConfigError(fromZodIssues(parsed.error.issues, preset));
  return parsed.data;
}

/** `true` only when A and B accept the same values; presets use it to tie their TSDoc'd interface to the schema. */
export type SameShape<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
