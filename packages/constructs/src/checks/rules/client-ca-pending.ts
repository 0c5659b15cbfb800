import { pendingInputMessage } from "../../pending-input.js";
import type { CheckRule } from "../rule.js";

export const clientCaPending: CheckRule = {
  id: "NL-ELB-4",
  severity: "warning",
  title: "No trust store waits for a pending client CA",
  explanation: "The client CA is a pending input (PendingInput): terraform plan stops at its guard until the missing input is provided.",
  fix: "do what the message says, then synthesize again",
  resourceTypes: ["aws_lb_trust_store"],
  check(trustStore, stack) {
    const referenced = [trustStore.config.ca_certificates_bundle_s3_bucket, trustStore.config.ca_certificates_bundle_s3_key].flatMap((value) =>
      stack.references(value),
    );
    const pending = referenced.map(pendingInputMessage).find((message) => message !== undefined);
    return pending === undefined ? [] : [`its CA certificates are pending: ${pending}`];
  },
};
