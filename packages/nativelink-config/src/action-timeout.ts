import type { NativeLinkConfig } from "./schema/config.js";
import { parseDurationLiteral } from "./values/duration.js";

/** NativeLink v1.6.6's `DEFAULT_MAX_ACTION_TIMEOUT` (nativelink-worker/src/local_worker.rs): 20 minutes. */
export const NATIVELINK_DEFAULT_MAX_ACTION_TIMEOUT_SECONDS = 1200;

/**
 * The longest `max_action_timeout_s` among a configuration's local workers, in seconds, read as NativeLink reads it
 * (absent or 0: the default); undefined when it has no workers. A drain must be allowed at least this long.
 * @throws Error when a timeout is a placeholder, whose value only the instance knows.
 */
export function longestActionTimeoutSeconds(config: NativeLinkConfig): number | undefined {
  const timeouts = (config.workers ?? []).map((worker) => {
    const value = "local" in worker ? worker.local.max_action_timeout_s : undefined;
    let seconds: number;
    if (value === undefined) seconds = 0;
    else if (typeof value === "number") seconds = value;
    else {
      const parsed = parseDurationLiteral(value);
      if (!parsed.ok)
        throw new Error(
          `max_action_timeout_s is ${JSON.stringify(value)}, which is not known at synth time (${parsed.reason}); give the drain its length explicitly`,
        );
      seconds = Number(parsed.seconds);
    }
    return seconds === 0 ? NATIVELINK_DEFAULT_MAX_ACTION_TIMEOUT_SECONDS : seconds;
  });
  return timeouts.length === 0 ? undefined : Math.max(...timeouts);
}
