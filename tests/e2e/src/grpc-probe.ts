// What an ALB target group sends for a gRPC health check: an HTTP/2 POST of an empty gRPC message to the check's
// path, over plain text (h2c) because the target groups' protocol is HTTP.
import { connect, constants } from "node:http2";

export interface ProbeAnswer {
  readonly httpStatus: number;
  /** The `grpc-status` trailer (or header, for a trailers-only answer); undefined when there is none. */
  readonly grpcStatus: string | undefined;
}

export async function grpcProbe(port: number, path: string, timeoutMs = 5_000): Promise<ProbeAnswer> {
  const session = connect(`http://127.0.0.1:${port}`);
  try {
    return await new Promise<ProbeAnswer>((resolve, reject) => {
      session.on("error", reject);
      const request = session.request({
        [constants.HTTP2_HEADER_METHOD]: "POST",
        [constants.HTTP2_HEADER_PATH]: path,
        [constants.HTTP2_HEADER_CONTENT_TYPE]: "application/grpc",
        te: "trailers",
      });
      request.setTimeout(timeoutMs, () => request.close(constants.NGHTTP2_CANCEL));
      let httpStatus = 0;
      let grpcStatus: string | undefined;
      const status = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
      request.on("response", (headers) => {
        httpStatus = Number(headers[constants.HTTP2_HEADER_STATUS]);
        grpcStatus = status(headers["grpc-status"]);
      });
      request.on("trailers", (trailers) => (grpcStatus = status(trailers["grpc-status"]) ?? grpcStatus));
      request.on("data", () => undefined);
      request.on("end", () => resolve({ httpStatus, grpcStatus }));
      request.on("error", reject);
      // One gRPC message frame: not compressed, length 0 (an empty request).
      request.end(Buffer.alloc(5));
    });
  } finally {
    session.close();
  }
}
