import { perflayerProject } from "../vitest.shared.ts";

// The workspace's own tests (what spans packages: the packed tarballs).
export default perflayerProject("workspace");
