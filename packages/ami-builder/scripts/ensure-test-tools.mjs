// Makes sure the programs the tests run for real are on PATH: shellcheck (lints the image's scripts), iptables
// (the bootstrap's firewall, tested in a network namespace) and Bazel (drives the real NativeLink worker that runs
// nativelink-run-action). Installs Debian's package when one is missing and we are root; otherwise stops and says
// what to do.
import { spawnSync } from "node:child_process";

/** command to check → Debian package that provides it. */
const TOOLS = { shellcheck: "shellcheck", iptables: "iptables", bazel: "bazel-bootstrap" };

const has = (command) => spawnSync(command, ["--version"], { stdio: "ignore" }).status === 0;
const run = (command, args) => spawnSync(command, args, { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } }).status === 0;

function stop(message) {
  console.error(`ensure-test-tools: ${message}`);
  process.exit(1);
}

const missing = Object.entries(TOOLS).filter(([command]) => !has(command));
if (missing.length > 0) {
  const packages = missing.map(([, debianPackage]) => debianPackage);
  if (process.getuid?.() !== 0) {
    const command = `sudo apt-get install -y ${packages.join(" ")}`;
    stop(`${packages.join(", ")} not installed and this user is not root. Install (Debian/Ubuntu: ${command}) and run the tests again.`);
  }
  if (spawnSync("apt-get", ["--version"], { stdio: "ignore" }).status !== 0) {
    stop(`${packages.join(", ")} not installed and apt-get is not available. Install them with this system's package manager.`);
  }
  console.error(`ensure-test-tools: installing ${packages.join(", ")} with apt-get`);
  // The package lists may be missing (fresh containers) or stale: refresh them when the install fails.
  const install = () => run("apt-get", ["install", "-y", "-q", ...packages]);
  const installed = install() || (run("apt-get", ["update", "-q"]) && install());
  if (!installed || missing.some(([command]) => !has(command))) stop("apt-get could not install them; see its output above.");
}
