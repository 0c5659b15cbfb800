/**
 * Support code of the constructs that deploy a Lambda bundle (dns-lambda's SchedulerDnsRecord, autoscaler's WorkerAutoscaler).
 * Needs zod (an optional peer dependency of this package, which both constructs' packages have); the Lambda bundles
 * import only `./lambda-handler` and the root, never this module.
 */
export { handlerFunctionCode, readHandlerBundle, type BundleOwner, type HandlerBundle } from "./bundle.js";
export { allowedLogRetentionDays, lambdaAssumeRolePolicy, type PolicyDocument, type PolicyStatement } from "./policy-document.js";
export { propErrorFromIssues, type SchemaIssue } from "./prop-issues.js";
export { lambdaConstructPropSchemas, wholeBetween } from "./prop-schemas.js";
