import { installFile } from "./component-steps.js";
import { component, type ComponentSpec } from "./components.js";
import { INSTALL_PATHS, imageFile } from "./image-files.js";
import type { BakeSettings } from "./resolve-props.js";

/** The unprivileged user actions run as on workers (`NATIVELINK_ACTION_USER` in role.env names another). */
export const ACTION_USER = "nativelink-action";
/** Group of the setgid interpreter: any group but root's makes its exec secure; this one grants nothing. */
const ACTION_SHELL_GROUP = "nogroup";

/**
 * What keeps actions away from the instance's credentials on workers (docs/DESIGN.md): iptables for the
 * bootstrap's firewall, the action user, `nativelink-run-action` and its interpreter. The same for both
 * architectures; on its own because the bootstrap component is nearly full.
 */
export function actionsComponent(settings: BakeSettings): ComponentSpec {
  const shellDirectory = INSTALL_PATHS.actionShell.slice(0, INSTALL_PATHS.actionShell.lastIndexOf("/"));
  const checks = [
    `id -u ${ACTION_USER} >/dev/null`,
    `[[ "$(stat -c '%U:%G %a' ${INSTALL_PATHS.actionShell})" == "root:${ACTION_SHELL_GROUP} 2755" ]] ||`,
    `  { echo "${INSTALL_PATHS.actionShell} must be root:${ACTION_SHELL_GROUP} 2755" >&2; exit 1; }`,
    `bash -n ${INSTALL_PATHS.actionRunner}`,
    "iptables --version",
    "",
  ].join("\n");
  const description = "Workers: nativelink-run-action, the action user and iptables (actions cannot reach the instance's credentials)";
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
        name: "CreateActionUser",
        script: [
          `getent passwd ${ACTION_USER} >/dev/null ||`,
          `  useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin ${ACTION_USER}`,
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
