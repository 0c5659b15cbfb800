import { installFile } from "./component-steps.js";
import { component, type ComponentSpec } from "./components.js";
import { INSTALL_PATHS, imageFile } from "./image-files.js";
import type { BakeSettings } from "./resolve-props.js";

/**
 * The bootstrap's warm-pool part (docs/DESIGN.md), which it sources from its own directory: with
 * `NATIVELINK_LAUNCH_HOOK` in role.env, it keeps NativeLink from starting while the instance waits in the warm pool and
 * completes the launch lifecycle action. On its own: the bootstrap's and the units' components have no room for it.
 */
export function warmPoolComponent(settings: BakeSettings): ComponentSpec {
  const file = { path: INSTALL_PATHS.bootstrapLifecycle, mode: "0644", content: imageFile("bin/nativelink-bootstrap-lifecycle") };
  const check = `bash -n ${INSTALL_PATHS.bootstrapLifecycle}\n`;
  return component(`${settings.name}-nativelink-warm-pool`, "NativeLink bootstrap's warm-pool part: launch lifecycle hook, no NativeLink in the pool", {
    build: [{ name: "InstallFile1", script: installFile(file) }],
    validate: [{ name: "CheckWarmPoolPart", script: check }],
    test: [{ name: "CheckWarmPoolPartOnNewInstance", script: check }],
  });
}
