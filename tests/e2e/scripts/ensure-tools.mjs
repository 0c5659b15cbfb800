// Makes sure the programs the end-to-end suite runs are on PATH before it starts: Bazel (Debian's bazel-bootstrap,
// a real Bazel 4.2.3 client), and what the suite and the image's scripts call. Installs the Debian packages that are
// missing when we are root; otherwise stops and says what to install. The NativeLink binary is found by the suite.
import { spawnSync } from "node:child_process";

/** Program -> Debian package that provides it. */
const TOOLS = {
  bazel: "bazel-bootstrap",
  curl: "curl",
  ip: "iproute2",
  nsenter: "util-linux",
  unshare: "util-linux",
  pgrep: "procps",
  tar: "tar",
  // The worker's firewall (the image's bootstrap) and action wrapper (nativelink-run-action).
  iptables: "iptables",
  setpriv: "util-linux",
};

const has = (program) => spawnSync("sh", ["-c", `command -v ${program}`], { stdio: "ignore" }).status === 0;
const run = (command, args) => spawnSync(command, args, { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } }).status === 0;

function stop(message) {
  console.error(`ensure-tools: ${message}`);
  process.exit(1);
}

const missing = Object.keys(TOOLS).filter((program) => !has(program));
if (missing.length > 0) {
  const packages = [...new Set(missing.map((program) => TOOLS[program]))];
  const install = `apt-get install -y ${packages.join(" ")}`;
  if (process.getuid?.() !== 0)
    stop(`${missing.join(", ")} not installed and this user is not root. Install them (Debian/Ubuntu: sudo ${install}) and run the tests again.`);
  if (!has("apt-get"))
    stop(`${missing.join(", ")} not installed and apt-get is not available. Install ${packages.join(", ")} with this system's package manager.`);
  console.error(`ensure-tools: installing ${packages.join(" ")} with apt-get`);
  // The package lists may be missing (fresh containers) or stale: refresh them when the install fails.
  const installed =
    run("apt-get", ["install", "-y", "-q", ...packages]) || (run("apt-get", ["update", "-q"]) && run("apt-get", ["install", "-y", "-q", ...packages]));
  const still = missing.filter((program) => !has(program));
  if (!installed || still.length > 0) stop(`apt-get could not install ${still.join(", ") || packages.join(", ")}; see its output above.`);
}
