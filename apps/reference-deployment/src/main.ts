import { App } from "cdktf";
import { ReferenceDeployment } from "./reference-deployment.js";

const app = new App({ outdir: new URL("../cdktf.out", import.meta.url).pathname });
new ReferenceDeployment(app, "nativelink");
app.synth();
