/** nativelink-aws: preflight, bazelrc, local CAS proxy, purge, status, cost, init. Run it as `nativelink-aws`. */
export { run, createProgram } from "./program.js";
export { ExitCode } from "./errors.js";
export type { CliIo } from "./io.js";
export { estimate, type CostLine, type Estimate } from "./cost/estimate.js";
export { IDLE_USAGE, type FleetInventory, type Inventory, type Usage } from "./cost/inventory.js";
export { ORIGINAL_TOPOLOGY, REFERENCE_DEFAULTS } from "./cost/known-inventories.js";
export { PRICE_TABLE, UnknownInstanceTypeError } from "./cost/prices.js";
export { stackInventory } from "./cost/stack-inventory.js";
export { parseTerraformOutputs, type TerraformOutputs } from "./terraform-outputs.js";
