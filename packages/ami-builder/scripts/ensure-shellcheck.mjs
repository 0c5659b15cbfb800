// Makes sure `shellcheck` is on PATH before the tests lint the image's scripts. Installs Debian's
// package when it is missing and we are root; otherwise stops and says what to do.
import { spawnSync } from "node:child_process";

const hasShellcheck = () => spawnSync("shellcheck", ["--version"], { stdio: "ignore" }).status === 0;
const run = (command, args) => spawnSync(command, args, { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } }).status === 0;

function stop(message) {
  console.error(`ensure-shellcheck: ${message}`);
  process.exit(1);
}

if (!hasShellcheck()) {
  if (process.getuid?.() !== 0) {
    stop("shellcheck is not installed and this user is not root. Install it (Debian/Ubuntu: sudo apt-get install -y shellcheck) and run the tests again.");
  }
  if (spawnSync("apt-get", ["--version"], { stdio: "ignore" }).status !== 0) {
    stop("shellcheck is not installed and apt-get is not available. Install shellcheck with this system's package manager.");
  }
  console.error("ensure-shellcheck: installing shellcheck with apt-get");
  // The package lists may be missing (fresh containers) or stale: refresh them when the install fails.
  const installed = run("apt-get", ["install", "-y", "-q", "shellcheck"]) || (run("apt-get", ["update", "-q"]) && run("apt-get", ["install", "-y", "-q", "shellcheck"]));
  if (!installed || !hasShellcheck()) stop("apt-get could not install shellcheck; see its output above.");
}
