/** Support code of the Lambda handlers (dns-lambda, autoscaler): small, bundled into each handler. */
export { logJson, type LogEntry } from "./log.js";
export { describeIssue, formatIssues } from "./issues.js";
