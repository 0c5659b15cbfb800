import { describe, expect, it } from "vitest";
import { warmPoolInstances, warmPoolSizes } from "../src/index.js";

describe("a warm pool's sizes", () => {
  it.each([
    // options, group minimum → minSize, MaxGroupPreparedCapacity (documented defaults: 1, the group's minimum + minSize)
    [{}, 0, { minSize: 1, maxGroupPreparedCapacity: 1 }],
    [{}, 3, { minSize: 1, maxGroupPreparedCapacity: 4 }],
    [{ minSize: 32 }, 0, { minSize: 32, maxGroupPreparedCapacity: 32 }],
    [{ minSize: 4 }, 1, { minSize: 4, maxGroupPreparedCapacity: 5 }],
    [{ minSize: 1, maxGroupPreparedCapacity: 32 }, 0, { minSize: 1, maxGroupPreparedCapacity: 32 }],
  ])("%j on a group of minimum %i: %j", (options, groupMinInstances, sizes) => {
    expect(warmPoolSizes(options, groupMinInstances)).toEqual(sizes);
  });

  it("holds MaxGroupPreparedCapacity less the desired capacity, never fewer than minSize", () => {
    const prepared = { minSize: 1, maxGroupPreparedCapacity: 32 };
    expect([0, 10, 31, 32, 50].map((desired) => warmPoolInstances(prepared, desired))).toEqual([32, 22, 1, 1, 1]);
    // The default MaxGroupPreparedCapacity keeps the pool at minSize whatever the group runs above its minimum.
    const byDefault = { minSize: 4, maxGroupPreparedCapacity: 5 };
    expect([1, 2, 40].map((desired) => warmPoolInstances(byDefault, desired))).toEqual([4, 4, 4]);
  });
});
