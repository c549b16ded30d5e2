import { perflayerProject } from "../../vitest.shared.ts";

export default perflayerProject("service", {
  test: { globalSetup: ["test/redis-notice.ts"] },
});
