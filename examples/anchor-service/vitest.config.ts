import { perflayerProject } from "../../vitest.shared.ts";

export default perflayerProject("anchor-service");
