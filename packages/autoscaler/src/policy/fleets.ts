// The fleets' conventions are @nativelink-aws/conventions'; the autoscaler's modules import them from here.
export { ARCHITECTURES, drainHookName, workerFleetId as fleetDimension, type Architecture } from "@nativelink-aws/conventions";
