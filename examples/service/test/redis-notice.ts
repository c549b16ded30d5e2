// vitest globalSetup: when redis-server is missing, say so once, plainly: the --replicas test is
// skipped locally (with the same note) and fails under CI.
import { INSTALL_REDIS_SERVER, redisServerInstalled } from "@perflayer-examples/shared";

export function setup(): void {
  if (redisServerInstalled()) return;
  const ci = process.env["CI"] !== undefined;
  process.stderr.write(
    `\n@perflayer-examples/service: redis-server is not installed, so the --replicas test ${ci ? "FAILS (CI is set)" : "is NOT RUN (reported as skipped)"}.\n` +
      `Install it with \`${INSTALL_REDIS_SERVER}\` (Debian/Ubuntu; .ci/run does it) and run it again.\n\n`,
  );
}
