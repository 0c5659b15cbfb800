import { App } from "cdktf";
import { bakeSettingsFromEnvironment } from "./bake-settings.js";
import { ReferenceDeployment } from "./reference-deployment.js";

const app = new App({ outdir: new URL("../cdktf.out", import.meta.url).pathname });
new ReferenceDeployment(app, "nativelink", { bake: bakeSettingsFromEnvironment(process.env) });
app.synth();
