/** Support code of the constructs that deploy a Lambda bundle (dns-lambda's SchedulerDnsRecord, autoscaler's WorkerAutoscaler). */
export { handlerFunctionCode, readHandlerBundle, type BundleOwner, type HandlerBundle } from "./bundle.js";
export { allowedLogRetentionDays, lambdaAssumeRolePolicy, type PolicyDocument, type PolicyStatement } from "./policy-document.js";
export { propErrorFromIssues, type SchemaIssue } from "./prop-issues.js";
