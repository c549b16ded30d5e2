// `pnpm --filter @perflayer-examples/service start [-- --replicas N] [--redis URL]`
import { parseArgs } from "node:util";
import { startReplicas } from "./replicas.js";
import { startService } from "./server.js";

const { values } = parseArgs({
  options: { replicas: { type: "string" }, redis: { type: "string" } },
});
const replicas = Number(values.replicas ?? "1");
const redisUrl = values.redis ?? process.env["REDIS_URL"];

if (replicas === 1) {
  const service = await startService({
    port: Number(process.env["PORT"] ?? 3001),
    requestTimeoutMs: Number(process.env["REQUEST_TIMEOUT_MS"] ?? 2_000),
    ...(redisUrl === undefined ? {} : { redisUrl }),
  });
  const shared = redisUrl === undefined ? "" : `, caches shared through ${redisUrl}`;
  console.log(`service listening on ${service.url} (metrics at ${service.url}/metrics${shared})`);
  process.on("SIGTERM", () => void service.close());
} else {
  // N processes, one Redis: a cold key is loaded once across all of them.
  const fleet = await startReplicas({ replicas, redisUrl: redisUrl ?? "redis://127.0.0.1:6379" });
  fleet.urls.forEach((url, i) => console.log(`replica ${i + 1} listening on ${url}`));
  const stop = (): void => void fleet.close();
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}
