// `pnpm --filter @perflayer-examples/anchor-service start` (PORT=3002 by default)
import { startAnchorService } from "./server.js";

const service = await startAnchorService({ port: Number(process.env["PORT"] ?? 3002) });
console.log(`anchor-service listening on ${service.url} (metrics at ${service.url}/metrics)`);
process.on("SIGTERM", () => void service.close());
