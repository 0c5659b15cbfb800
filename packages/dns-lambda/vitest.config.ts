import { motoVitestConfig } from "../../tools/moto/vitest-config.js";

export default motoVitestConfig();
