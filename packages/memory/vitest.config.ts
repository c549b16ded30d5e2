import { perflayerProject } from "../../vitest.shared.ts";

// --expose-gc makes garbage collection deterministic in the memory tests (global.gc()).
export default perflayerProject("memory", { test: { execArgv: ["--expose-gc"] } });
