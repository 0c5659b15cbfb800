/** `@nativelink-aws/autoscaler/handler`: the Lambda handler's pure parts, for tools and tests that read the same feed. */
export { parseFeed, FEED_METRICS, type FeedSnapshot, type ParseOptions, type StageCount } from "../handler/parse-feed.js";
export { FeedError, type FeedErrorKind } from "../handler/feed-error.js";
export {
  attributeDemand,
  completionShares,
  formatDemandSplit,
  parseDemandSplit,
  share,
  type DemandSplit,
  type FleetDemand,
  type GroupCapacity,
} from "../handler/demand.js";
export { loadConfig, pollIntervals, feedCheckIntervals, defaultFeedCheck, type HandlerConfig, type ScalingMode } from "../handler/config.js";
export { metricDatums, type FleetMetrics } from "../handler/metrics.js";
export type { AutoscalerHandler, InvocationResult } from "../handler/handler.js";
export type { FleetOutcome, PollResult, PollTrigger } from "../handler/poll.js";
