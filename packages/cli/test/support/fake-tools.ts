// Fake `bazel` and `nativelink` executables for running the generated tools/bazel wrapper for real.
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";

export interface FakeTools {
  readonly bin: string;
  /** Each argument list the fake bazel received. */
  bazelCalls(): string[][];
  /** Each start of the fake nativelink: the config path it was given. */
  nativelinkStarts(): string[];
}

const readLines = (path: string) => {
  try {
    return readFileSync(path, "utf8")
      .split("\n")
      .filter((line) => line !== "");
  } catch {
    return [];
  }
};

export function createFakeTools(root: string, name = "fakebin"): FakeTools {
  const bin = join(root, name);
  mkdirSync(bin, { recursive: true });
  const bazelLog = join(root, `${name}-bazel.log`);
  const nativelinkLog = join(root, `${name}-nativelink.log`);
  // One call per line, arguments separated by a unit separator, so spaces inside arguments survive.
  writeFileSync(
    join(bin, "bazel"),
    `#!/usr/bin/env bash\n{ printf 'argv'; for arg in "$@"; do printf '\\x1f%s' "$arg"; done; echo; } >> ${JSON.stringify(bazelLog)}\necho "fake bazel ran"\n`,
  );
  // Listens where the config says, like NativeLink; its command line keeps the config path (the wrapper checks it).
  writeFileSync(
    join(bin, "nativelink"),
    `#!/usr/bin/env bash\necho "$1" >> ${JSON.stringify(nativelinkLog)}\n` +
      `port="$(grep -o '127.0.0.1:[0-9]*' "$1" | head -1 | cut -d: -f2)"\nsleep "\${FAKE_NATIVELINK_DELAY:-0}"\n` +
      `exec node -e 'require("node:net").createServer((s) => s.end()).listen(Number(process.argv[1]), "127.0.0.1")' "$port" "$1"\n`,
  );
  chmodSync(join(bin, "bazel"), 0o755);
  chmodSync(join(bin, "nativelink"), 0o755);
  return {
    bin,
    bazelCalls: () => readLines(bazelLog).map((line) => line.split("\x1f").slice(1)),
    nativelinkStarts: () => readLines(nativelinkLog),
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

export function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createServer().listen(port, "127.0.0.1");
    socket.once("listening", () => socket.close(() => resolve(false)));
    socket.once("error", () => resolve(true));
  });
}
