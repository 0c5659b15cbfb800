// The few Remote Execution API calls the tests make against a real NativeLink, as plain gRPC over HTTP/2
// (node:http2) with the protobuf fields written by hand: no generated code for two messages.
// Field numbers: build/bazel/remote/execution/v2/remote_execution.proto (REAPI v2).
import { connect } from "node:http2";

/** A unary gRPC call's outcome: `status` 0 is OK; 7 is PERMISSION_DENIED. */
export interface GrpcResult {
  readonly status: number;
  readonly message: string;
  readonly body: Buffer;
}

export interface Digest {
  readonly hash: string;
  readonly sizeBytes: number;
}

function varint(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

/** A length-delimited field (wire type 2): strings and messages. */
function bytesField(field: number, value: Buffer | string): Buffer {
  const data = typeof value === "string" ? Buffer.from(value, "utf8") : value;
  return Buffer.concat([varint((field << 3) | 2), varint(data.length), data]);
}

function varintField(field: number, value: number): Buffer {
  return Buffer.concat([varint(field << 3), varint(value)]);
}

function digestMessage(digest: Digest): Buffer {
  return Buffer.concat([bytesField(1, digest.hash), varintField(2, digest.sizeBytes)]);
}

/** `ActionResult` with only `exit_code` (field 4) set: enough to tell one result from another. */
export function actionResult(exitCode: number): Buffer {
  return varintField(4, exitCode);
}

/** The `exit_code` of an encoded `ActionResult` (0 when absent, as protobuf says). */
export function exitCodeOf(actionResultBytes: Buffer): number {
  let offset = 0;
  const readVarint = () => {
    let value = 0;
    let scale = 1;
    for (;;) {
      const byte = actionResultBytes[offset++]!;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 0x80;
    }
  };
  while (offset < actionResultBytes.length) {
    const key = readVarint();
    const wireType = key & 7;
    if (wireType === 0) {
      const value = readVarint();
      if (key >> 3 === 4) return value;
    } else if (wireType === 2) {
      offset += readVarint();
    } else {
      throw new Error(`unexpected wire type ${wireType} in ActionResult`);
    }
  }
  return 0;
}

/** One unary call to `http://127.0.0.1:<port>` (h2c, as NativeLink listens without TLS). */
export function grpcUnary(port: number, method: string, request: Buffer): Promise<GrpcResult> {
  return new Promise((resolve, reject) => {
    const session = connect(`http://127.0.0.1:${port}`);
    session.on("error", reject);
    const frame = Buffer.alloc(5);
    frame.writeUInt32BE(request.length, 1);
    const stream = session.request({ ":method": "POST", ":path": method, "content-type": "application/grpc", te: "trailers" });
    const chunks: Buffer[] = [];
    let headers: Record<string, unknown> = {};
    stream.on("response", (received) => (headers = received));
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("trailers", (trailers) => (headers = { ...headers, ...trailers }));
    stream.on("error", reject);
    stream.on("end", () => {
      session.close();
      const data = Buffer.concat(chunks);
      const status = headers["grpc-status"];
      if (status === undefined) return reject(new Error(`no grpc-status from ${method} (HTTP ${String(headers[":status"])})`));
      resolve({
        status: Number(status),
        message: decodeURIComponent(String(headers["grpc-message"] ?? "")),
        body: data.length >= 5 ? data.subarray(5, 5 + data.readUInt32BE(1)) : Buffer.alloc(0),
      });
    });
    stream.end(Buffer.concat([frame, request]));
  });
}

const ACTION_CACHE = "/build.bazel.remote.execution.v2.ActionCache";

/** `ActionCache.UpdateActionResult(instance_name, action_digest, action_result)`. */
export function updateActionResult(port: number, instanceName: string, digest: Digest, result: Buffer): Promise<GrpcResult> {
  const request = Buffer.concat([bytesField(1, instanceName), bytesField(2, digestMessage(digest)), bytesField(3, result)]);
  return grpcUnary(port, `${ACTION_CACHE}/UpdateActionResult`, request);
}

/** `ActionCache.GetActionResult(instance_name, action_digest)`; status 5 (NOT_FOUND) when absent. */
export function getActionResult(port: number, instanceName: string, digest: Digest): Promise<GrpcResult> {
  return grpcUnary(port, `${ACTION_CACHE}/GetActionResult`, Buffer.concat([bytesField(1, instanceName), bytesField(2, digestMessage(digest))]));
}

/** `Capabilities.GetCapabilities(instance_name)`: what the load balancer's health check calls. */
export function getCapabilities(port: number, instanceName: string): Promise<GrpcResult> {
  return grpcUnary(port, "/build.bazel.remote.execution.v2.Capabilities/GetCapabilities", bytesField(1, instanceName));
}
