import type { InstalledFile } from "./image-files.js";
import { YamlPlain, toYaml, type YamlValue } from "./yaml.js";

/** Ends the here-documents that carry files; no shipped file may contain this line. */
export const FILE_DELIMITER = "NATIVELINK_FILE_EOF";

/** A step of an AWSTOE phase: one bash script. */
export interface BashStep {
  readonly name: string;
  readonly script: string;
}

export type Phase = "build" | "validate" | "test";

/**
 * An ExecuteBash step. AWSTOE reports the exit code of the script's last command, so every step
 * starts with `set -euo pipefail`: any failing command fails the step, and with it the bake.
 */
function executeBash(step: BashStep): YamlValue {
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(step.name)) throw new Error(`AWSTOE step names are alphanumeric, got "${step.name}"`);
  // AWSTOE substitutes {{ … }} in documents: scripts must never contain the sequence.
  if (step.script.includes("{{")) throw new Error(`step ${step.name} contains "{{", which AWSTOE would substitute`);
  return { name: step.name, action: "ExecuteBash", inputs: { commands: [`set -euo pipefail\n${step.script}`] } };
}

/** The YAML document of an Image Builder component with the given phases. */
export function componentDocument(name: string, description: string, phases: Partial<Record<Phase, readonly BashStep[]>>): string {
  const entries = (["build", "validate", "test"] as const)
    .filter((phase) => (phases[phase]?.length ?? 0) > 0)
    .map((phase) => ({ name: phase, steps: (phases[phase] ?? []).map(executeBash) }));
  return toYaml({ name, description, schemaVersion: new YamlPlain("1.0"), phases: entries });
}

/** Single-quotes a value for bash. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/**
 * Writes a file through a quoted here-document, so nothing in it is expanded. `DESTDIR` (unset on
 * the build instance) lets the tests run the step into a temporary directory.
 */
export function installFile(file: InstalledFile): string {
  if (file.content.split("\n").includes(FILE_DELIMITER)) throw new Error(`${file.path} contains the line ${FILE_DELIMITER}`);
  if (!/^0[0-7]{3}$/.test(file.mode)) throw new Error(`${file.path}: mode ${file.mode} is not octal like 0644`);
  const body = file.content.endsWith("\n") ? file.content : `${file.content}\n`;
  return `install -D -m ${file.mode} /dev/stdin "\${DESTDIR:-}${file.path}" <<'${FILE_DELIMITER}'\n${body}${FILE_DELIMITER}\n`;
}

/** A release tarball to download, check and unpack one binary from. */
export interface VerifiedBinary {
  readonly url: string;
  readonly sha256: string;
  /** Name of the binary at the top of the tarball. */
  readonly binary: string;
  readonly destination: string;
}

/**
 * Downloads over https only, compares the SHA-256 before anything is unpacked (a mismatch stops the
 * bake with both values in the log), then installs the binary.
 */
export function installVerifiedBinary(release: VerifiedBinary): string {
  if (!/^[0-9a-f]{64}$/.test(release.sha256)) throw new Error(`${release.url}: "${release.sha256}" is not a lowercase SHA-256`);
  if (!/^[A-Za-z0-9._-]+$/.test(release.binary)) throw new Error(`"${release.binary}" is not a plain file name`);
  const url = shellQuote(release.url);
  return [
    'work="$(mktemp -d)"',
    "trap 'rm -rf \"$work\"' EXIT",
    `curl --fail --silent --show-error --location --retry 5 --proto '=https' --proto-redir '=https' --output "$work/release.tar.gz" ${url}`,
    'actual="$(sha256sum "$work/release.tar.gz" | cut -d " " -f 1)"',
    `if [[ "$actual" != ${shellQuote(release.sha256)} ]]; then`,
    `  echo "SHA-256 mismatch for "${url}": got $actual, expected ${release.sha256}; refusing to install" >&2`,
    "  exit 1",
    "fi",
    'mkdir "$work/contents"',
    'tar -xzf "$work/release.tar.gz" -C "$work/contents"',
    `install -D -m 0755 "$work/contents/${release.binary}" "\${DESTDIR:-}${release.destination}"`,
    "",
  ].join("\n");
}
