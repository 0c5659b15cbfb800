import { motoVitestConfig } from "../../tools/moto/vitest-config.js";

export default motoVitestConfig({ testTimeout: 60_000 });
