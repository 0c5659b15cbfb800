import * as z from "zod";
import { DEFAULT_DEPLOYMENT_NAME, DEPLOYMENT_NAME_PATTERN, DEPLOYMENT_NAME_RULE } from "../names.js";
import { allowedLogRetentionDays } from "./policy-document.js";

/** A whole number from `min` to `max`; `fix` completes "invalid prop …: it …" for every way it can fail. */
export const wholeBetween = (min: number, max: number, fix: string) => z.number(fix).int(fix).min(min, fix).max(max, fix);

/**
 * The props every Lambda construct has, with their checks and defaults: spread into the construct's `z.object`. Each
 * message completes '<Construct>: invalid prop "<prop>" (<value>): it …' with the fix.
 */
export const lambdaConstructPropSchemas = {
  name: z
    .string()
    .regex(DEPLOYMENT_NAME_PATTERN, `must be ${DEPLOYMENT_NAME_RULE} (it prefixes every physical name), e.g. "nativelink"`)
    .default(DEFAULT_DEPLOYMENT_NAME),
  logRetentionDays: z
    .number()
    .refine(
      (days) => (allowedLogRetentionDays as readonly number[]).includes(days),
      `must be one of CloudWatch's retention values: ${allowedLogRetentionDays.join(", ")}`,
    )
    .default(30),
  bundlePath: z.string("must be the path of a zip built by bundle-lambda").optional(),
  // Keys are checked by a refine: zod words a failed record key only as "Invalid key in record".
  tags: z
    .record(z.string(), z.string("values must be strings").max(256, "values must be at most 256 characters"))
    .refine((tags) => Object.keys(tags).every((key) => key.length >= 1 && key.length <= 128), "keys must be 1-128 characters")
    .default({}),
};
