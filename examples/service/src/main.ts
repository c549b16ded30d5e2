import { startService } from "./server.js";

const service = await startService({ port: Number(process.env["PORT"] ?? 3001) });
console.log(`service listening on ${service.url} (metrics at ${service.url}/metrics)`);
process.on("SIGTERM", () => void service.close());
