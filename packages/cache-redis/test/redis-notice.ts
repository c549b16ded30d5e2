// vitest globalSetup: when redis-server is missing, say so once, plainly, above the results: the
// tests that need it are skipped locally (each with the same note) and fail under CI.
import { INSTALL_REDIS, redisInstalled } from "./redis-server.ts";

export function setup(): void {
  if (redisInstalled) return;
  const ci = process.env["CI"] !== undefined;
  process.stderr.write(
    `\n@perflayer/cache-redis: redis-server is not installed, so the tests that need a real Redis ${ci ? "FAIL (CI is set)" : "are NOT RUN (reported as skipped)"}.\n` +
      `Install it with \`${INSTALL_REDIS}\` (Debian/Ubuntu; .ci/run does it) and run them again.\n\n`,
  );
}
