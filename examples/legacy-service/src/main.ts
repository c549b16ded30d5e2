import { startLegacyService } from "./server.js";

const service = await startLegacyService({ port: Number(process.env["PORT"] ?? 3000) });
console.log(`legacy-service listening on ${service.url}`);
process.on("SIGTERM", () => void service.close());
