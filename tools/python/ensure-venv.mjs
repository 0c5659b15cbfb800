#!/usr/bin/env node
// @ts-check
// Creates the repository's Python venv (/.venv, git-ignored) and installs tools/python/requirements.txt into it.
// Idempotent and cheap when nothing changed: a stamp holding the hash of requirements.txt says the venv is current.
// Safe to run from several processes at once (Nx runs projects in parallel): one installs, the others wait on a
// lock directory. Progress goes to stderr; stdout receives only the venv's path, so callers can capture it.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
/**
 * Tool sets, each in a venv of its own: checkov pins an old boto3/botocore that moto's server cannot run
 * with (its CloudWatch JSON protocol needs a newer botocore), so the two never share site-packages.
 */
const TOOL_SETS = [
  { requirements: "tools/python/requirements.txt", venv: ".venv" },
  { requirements: "tools/python/checkov-requirements.txt", venv: ".venv/checkov" },
];

// The set being ensured (assigned by ensure()).
let requirementsFile = "";
let venvDir = "";
let venvPython = "";
let stampFile = "";
let lockDir = "";
/** pip on a cold cache can take minutes; a waiter gives up only well after that. */
const lockWaitLimitMs = 20 * 60 * 1000;
const lockPollMs = 500;

/** @param {string} message */
function say(message) {
  process.stderr.write(`[ensure-venv] ${message}\n`);
}

/** @param {string} message @returns {never} */
function fail(message) {
  say(`error: ${message}`);
  process.exit(1);
}

/** @param {string} command @param {string[]} args @param {boolean} [quiet] */
function run(command, args, quiet = false) {
  return spawnSync(command, args, { cwd: repoRoot, encoding: "utf8", stdio: ["ignore", quiet ? "pipe" : "inherit", quiet ? "pipe" : "inherit"] });
}

function requirementsHash() {
  const pythonVersion = run(venvPython, ["-c", "import sys; print(sys.version)"], true).stdout ?? "";
  // The interpreter's version is part of the stamp: a venv built on another Python is rebuilt.
  return createHash("sha256").update(readFileSync(requirementsFile)).update(pythonVersion).digest("hex");
}

function isCurrent() {
  return existsSync(stampFile) && existsSync(venvPython) && readFileSync(stampFile, "utf8").trim() === requirementsHash();
}

/** @param {number} pid */
function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return /** @type {NodeJS.ErrnoException} */ (error).code === "EPERM";
  }
}

/** A lock whose owner died (killed test run) would block everyone forever: take it over. */
function removeIfStale() {
  let ownerPid = Number.NaN;
  try {
    ownerPid = Number(readFileSync(join(lockDir, "pid"), "utf8"));
  } catch {
    // The owner may be between mkdir and writing its pid: stale only if the directory is old.
    const lock = statSync(lockDir, { throwIfNoEntry: false });
    if (lock === undefined || Date.now() - lock.mtimeMs < 60_000) return;
  }
  if (Number.isInteger(ownerPid) && isAlive(ownerPid)) return;
  say(`removing a stale lock left by process ${Number.isNaN(ownerPid) ? "unknown" : ownerPid}`);
  const grave = `${lockDir}.stale.${process.pid}`;
  try {
    renameSync(lockDir, grave); // atomic: only one waiter wins the takeover
    rmSync(grave, { recursive: true, force: true });
  } catch {
    // another waiter took it over first
  }
}

async function acquireLock() {
  const deadline = Date.now() + lockWaitLimitMs;
  let announced = false;
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(join(lockDir, "pid"), String(process.pid));
      return;
    } catch (error) {
      if (/** @type {NodeJS.ErrnoException} */ (error).code !== "EEXIST") throw error;
    }
    if (!announced) say("another process is installing the Python tools; waiting for it");
    announced = true;
    removeIfStale();
    if (Date.now() > deadline) fail(`gave up waiting for ${lockDir}; remove it if no install is running`);
    await new Promise((done) => setTimeout(done, lockPollMs));
  }
}

function releaseLock() {
  rmSync(lockDir, { recursive: true, force: true });
}

function checkPython() {
  const probe = run("python3", ["-c", "import sys, venv, ensurepip; print(sys.version.split()[0])"], true);
  if (probe.error) fail("python3 is not on PATH. Install Python 3.11 with venv (Debian: apt-get install python3 python3-venv).");
  if (probe.status !== 0) {
    fail(
      `python3 cannot create virtual environments (${probe.stderr.trim().split("\n").pop()}). Install the venv module (Debian: apt-get install python3-venv).`,
    );
  }
  return probe.stdout.trim();
}

function venvWorks() {
  return existsSync(venvPython) && run(venvPython, ["-c", "import pip"], true).status === 0;
}

function install() {
  // A stale venv is rebuilt from scratch: pip never downgrades what an old pin left behind.
  if (!venvWorks() || existsSync(stampFile)) {
    const version = checkPython();
    say(`creating ${venvDir} with Python ${version}`);
    // A venv left broken (interrupted install, Python moved) is rebuilt; our lock directory inside it stays.
    for (const entry of readdirSync(venvDir)) {
      // Keep our lock and any nested tool-set venv (rebuilt on its own when its stamp is stale).
      if (join(venvDir, entry) !== lockDir && !TOOL_SETS.some((set) => join(repoRoot, set.venv) === join(venvDir, entry))) {
        rmSync(join(venvDir, entry), { recursive: true, force: true });
      }
    }
    const created = run("python3", ["-m", "venv", venvDir]);
    if (created.status !== 0) fail(`python3 -m venv ${venvDir} failed; see above. Debian: apt-get install python3-venv.`);
  }
  say(`installing ${requirementsFile} with pip`);
  const pip = run(venvPython, ["-m", "pip", "install", "--disable-pip-version-check", "-r", requirementsFile]);
  if (pip.status !== 0) fail("pip install failed; see above. The registry must be reachable, or a wheel cache in PIP_FIND_LINKS.");
  const stampTemp = `${stampFile}.${process.pid}`;
  writeFileSync(stampTemp, `${requirementsHash()}\n`);
  renameSync(stampTemp, stampFile); // atomic: a reader never sees a half-written stamp
  say("Python tools are installed");
}

/** @param {{ requirements: string, venv: string }} set */
async function ensure(set) {
  requirementsFile = join(repoRoot, set.requirements);
  venvDir = join(repoRoot, set.venv);
  venvPython = join(venvDir, "bin/python");
  stampFile = join(venvDir, ".requirements.sha256");
  lockDir = join(venvDir, ".install.lock");
  if (isCurrent()) return;
  mkdirSync(venvDir, { recursive: true });
  await acquireLock();
  try {
    if (isCurrent()) say(`another process installed ${set.requirements} meanwhile`);
    else install();
  } finally {
    releaseLock();
  }
}

for (const set of TOOL_SETS) await ensure(set);
// stdout: only the main venv's path, for callers that capture it.
process.stdout.write(`${join(repoRoot, TOOL_SETS[0].venv)}\n`);
