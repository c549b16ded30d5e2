import { perflayerProject } from "../../vitest.shared.ts";

export default perflayerProject("cache-redis", {
  test: { globalSetup: ["test/redis-notice.ts"] },
});
