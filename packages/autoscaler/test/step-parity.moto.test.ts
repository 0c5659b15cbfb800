// The Lambda's poll loop (the real poller against moto, reading a feed served over HTTP) and the simulator's
// controller step one fleet through the same feed sequence: they must set the same desired capacities, as both run
// the one stepping function (policy/fleet-step.ts) with the same cut-offs.
import { describe, expect, it } from "vitest";
import { createAwsClients } from "../src/handler/aws.js";
import { createPoll } from "../src/handler/poll.js";
import { autoscalerPolicy } from "../src/simulator/controllers.js";
import { collectorPage } from "./support/feed-server.js";
import { motoTestFile } from "./support/moto-file.js";
import { createWorkerGroups, x86Config } from "./support/worker-groups.js";

const { endpoint, feed } = motoTestFile({ body: collectorPage({ queued: 0, executing: 0, completed: 0 }) });

/**
 * A build every 20 s for 15 minutes: 30 actions queue on an empty fleet, run 20 at a time draining the queue, a
 * tail of 4, idle (quick, then full scale-in), a second small build, idle again.
 */
function feedSequence(): { queued: number; executing: number; completed: number }[] {
  let completed = 0;
  return Array.from({ length: 45 }, (_, step) => {
    if (step < 6) return { queued: 30, executing: 0, completed };
    if (step < 16) {
      completed += 6;
      return { queued: Math.max(0, 30 - 3 * (step - 6)), executing: 20, completed };
    }
    if (step < 22) {
      completed += 2;
      return { queued: 0, executing: 4, completed };
    }
    if (step >= 34 && step < 38) return { queued: 8, executing: step > 35 ? 2 : 0, completed };
    return { queued: 0, executing: 0, completed };
  });
}

describe("one stepping function", () => {
  it("the Lambda's poll loop and the simulator's controller set the same capacities on the same feed sequence", async () => {
    const groups = await createWorkerGroups(endpoint, { min: 0, max: 40, desired: 0 });
    const config = x86Config(groups, feed.url, {
      POLL_INTERVAL_SECONDS: "20",
      FEED_CHECK_SECONDS: "20",
    });
    // A minute boundary an hour ago: CloudWatch accepts the datapoints, and its minutes line up with the polls.
    const start = Math.floor(Date.now() / 60_000) * 60_000 - 3_600_000;
    let clock = start;
    const poller = createPoll({ config, clients: createAwsClients(), log: () => {}, now: () => clock });
    const controller = autoscalerPolicy(config.policy, config.pollIntervalSeconds, config.feedCheckSeconds);

    const lambda: number[] = [];
    const simulator: number[] = [];
    const actions = new Set<string>();
    const reasons: string[] = [];
    let desired = 0;
    for (const [step, counts] of feedSequence().entries()) {
      const nowSeconds = step * config.pollIntervalSeconds;
      clock = start + nowSeconds * 1000;
      feed.answer({ body: collectorPage(counts) });
      const result = await poller.poll();
      if (result.outcome !== "decided") throw new Error(`poll at ${nowSeconds}s: ${result.feedError.message}`);
      const [fleet] = result.fleets;
      lambda.push(fleet?.decision.desiredCapacity ?? -1);
      actions.add(fleet?.decision.action ?? "");
      reasons.push(fleet?.decision.reason ?? "");
      const simulated = {
        atSeconds: nowSeconds,
        queuedActions: counts.queued,
        executingActions: counts.executing,
        connectedWorkers: 0,
        completedActions: counts.completed,
      };
      desired = controller.decide({ nowSeconds, feed: simulated, desiredCapacity: desired, minCapacity: 0, maxCapacity: 40, liveDemandActions: 0 });
      simulator.push(desired);
    }

    expect(lambda).toEqual(simulator);
    expect(await groups.desired(groups.groupNames.x86_64)).toBe(simulator.at(-1));
    // The sequence exercises every path: out, hold, in, and the drain measured once the rate window filled.
    expect([...actions].sort()).toEqual(["hold", "none", "scale-in", "scale-out"]);
    expect(reasons.some((reason) => reason.includes("started within the 120s boot"))).toBe(true);
    expect(reasons.some((reason) => reason.includes("a collapse"))).toBe(true);
  });
});
