import { installFile } from "./component-steps.js";
import { component, type ComponentSpec } from "./components.js";
import { INSTALL_PATHS, imageFile } from "./image-files.js";
import type { BakeSettings } from "./resolve-props.js";

/**
 * The pool of unprivileged users actions run as on workers: `nativelink-action-<n>` has uid and gid
 * `ACTION_FIRST_UID + n` (a group of its own), for n below `ACTION_SLOTS`. `nativelink-run-action` runs each action as
 * the uid of a free slot, so no two running actions share a uid; the bootstrap's firewall covers the whole range and
 * caps the worker's `max_inflight_tasks` at `ACTION_SLOTS`. role.env's `NATIVELINK_ACTION_UIDS` (FIRST-LAST) names
 * another range. 70000 and up: above the regular users' ids and systemd's dynamic ones (61184-65519), below the
 * subordinate ids `useradd` hands out (100000 and up).
 */
export const ACTION_FIRST_UID = 70000;
/** Slots of the pool: at least the vCPUs of the largest instance types (192), which `max_inflight_tasks` follows. */
export const ACTION_SLOTS = 256;
/** The pool's user (and group) of slot `n` is named `${ACTION_USER_PREFIX}<n>`. */
export const ACTION_USER_PREFIX = "nativelink-action-";
export const actionUserName = (slot: number): string => `${ACTION_USER_PREFIX}${slot}`;
/** `NATIVELINK_ACTION_UIDS`' default: the image's pool, FIRST-LAST. */
export const ACTION_UIDS = `${ACTION_FIRST_UID}-${ACTION_FIRST_UID + ACTION_SLOTS - 1}`;
/** Group of the setgid interpreter: any group but root's makes its exec secure; this one grants nothing. */
const ACTION_SHELL_GROUP = "nogroup";

/**
 * What keeps actions away from the instance's credentials and from each other on workers (docs/DESIGN.md): iptables
 * for the bootstrap's firewall, the pool of action users, `nativelink-run-action` and its interpreter (the bootstrap's
 * workers' part, `nativelink-bootstrap-actions`, is in the units component). The same for both architectures; on its
 * own because the bootstrap component is nearly full.
 */
export function actionsComponent(settings: BakeSettings): ComponentSpec {
  const shellDirectory = INSTALL_PATHS.actionShell.slice(0, INSTALL_PATHS.actionShell.lastIndexOf("/"));
  const checks = [
    `for ((n = 0; n < ${ACTION_SLOTS}; n++)); do`,
    `  [[ "$(id -u ${ACTION_USER_PREFIX}$n):$(id -g ${ACTION_USER_PREFIX}$n)" == "$((${ACTION_FIRST_UID} + n)):$((${ACTION_FIRST_UID} + n))" ]] ||`,
    `    { echo "${ACTION_USER_PREFIX}$n must have uid and gid $((${ACTION_FIRST_UID} + n))" >&2; exit 1; }`,
    "done",
    `[[ "$(stat -c '%U:%G %a' ${INSTALL_PATHS.actionShell})" == "root:${ACTION_SHELL_GROUP} 2755" ]] ||`,
    `  { echo "${INSTALL_PATHS.actionShell} must be root:${ACTION_SHELL_GROUP} 2755" >&2; exit 1; }`,
    `bash -n ${INSTALL_PATHS.actionRunner}`,
    "iptables --version",
    "",
  ].join("\n");
  const description = "Workers: nativelink-run-action, the action users and iptables (actions cannot reach the credentials nor each other)";
  return component(`${settings.name}-nativelink-actions`, description, {
    build: [
      {
        name: "InstallPackages",
        script: [
          "export DEBIAN_FRONTEND=noninteractive",
          "apt-get -o DPkg::Lock::Timeout=600 update",
          "apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends iptables util-linux",
          "",
        ].join("\n"),
      },
      {
        name: "CreateActionUsers",
        // Contiguous ids (one firewall rule covers them); one taken by another name stops the bake. DESTDIR: the tests'.
        script: [
          'prefix=() && [[ -z "${DESTDIR:-}" ]] || prefix=(--prefix "$DESTDIR")',
          'owner() { awk -F: -v id="$2" \'$3 == id { print $1; exit }\' "${DESTDIR:-}/etc/$1"; }',
          `for ((n = 0; n < ${ACTION_SLOTS}; n++)); do`,
          `  id=$((${ACTION_FIRST_UID} + n)) name="${ACTION_USER_PREFIX}$n"`,
          '  group="$(owner group "$id")" user="$(owner passwd "$id")"',
          '  [[ -z "$group" || "$group" == "$name" ]] || { echo "gid $id belongs to $group, not $name" >&2; exit 1; }',
          '  [[ -z "$user" || "$user" == "$name" ]] || { echo "uid $id belongs to $user, not $name" >&2; exit 1; }',
          '  [[ -n "$group" ]] || groupadd "${prefix[@]}" --system --gid "$id" "$name"',
          '  [[ -n "$user" ]] ||',
          '    useradd "${prefix[@]}" --system --uid "$id" --gid "$id" --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$name"',
          "done",
          "",
        ].join("\n"),
      },
      {
        name: "InstallActionShell",
        // A copy, not a link: the setgid bit must not reach /bin/bash. Its directory is root's alone.
        script: [
          `install -d -m 0700 "\${DESTDIR:-}${shellDirectory}"`,
          `install -m 2755 -g ${ACTION_SHELL_GROUP} /bin/bash "\${DESTDIR:-}${INSTALL_PATHS.actionShell}"`,
          "",
        ].join("\n"),
      },
      { name: "InstallActionRunner", script: installFile({ path: INSTALL_PATHS.actionRunner, mode: "0755", content: imageFile("bin/nativelink-run-action") }) },
    ],
    validate: [{ name: "CheckActions", script: checks }],
    test: [
      {
        name: "CheckActionsOnNewInstance",
        // The wrapper starts through its interpreter and refuses to run outside an action's directory.
        script: [
          checks.trimEnd(),
          `if output="$(cd / && ${INSTALL_PATHS.actionRunner} /bin/true 2>&1)"; then`,
          '  echo "nativelink-run-action ran outside an action directory" >&2',
          "  exit 1",
          "fi",
          `[[ "$output" == *"nativelink-run-action: error:"* ]] || { echo "unexpected: $output" >&2; exit 1; }`,
          "",
        ].join("\n"),
      },
    ],
  });
}
