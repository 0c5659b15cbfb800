// Runs the bundled handler as Lambda would: a fresh Node process imports dist/lambda/index.mjs, then invokes
// `handler` once with the event given as JSON in argv. The result is printed as the last stdout line, after the
// handler's own JSON logs; an error is printed to stderr with exit code 1.
import { pathToFileURL } from "node:url";

const [bundlePath, eventJson] = process.argv.slice(2);
try {
  const { handler } = await import(pathToFileURL(bundlePath ?? "").href);
  const result = await handler(JSON.parse(eventJson ?? "{}"), { awsRequestId: "bundle-test" });
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}\n`);
  process.exitCode = 1;
}
