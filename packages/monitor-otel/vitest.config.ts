import { perflayerProject } from "../../vitest.shared.ts";

export default perflayerProject("monitor-otel");
