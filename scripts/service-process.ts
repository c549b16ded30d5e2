// One service of the comparison (`scripts/service-scenarios.ts`) in a process of its own:
//   node --expose-gc --import tsx scripts/service-process.ts <legacy|anchor|perflayer> '<BackendOptions JSON>'
// It prints "listening on <url>" and answers its parent's IPC messages: `probe` (heap in use after
// a full GC, backend queries so far) and `latency` (the backend's time per query from now on).
import { startAnchorService } from "@perflayer-examples/anchor-service";
import { startLegacyService } from "@perflayer-examples/legacy-service";
import { startService } from "@perflayer-examples/service";
import { Backend } from "@perflayer-examples/shared";
import type { BackendOptions } from "@perflayer-examples/shared";

/** A message from the parent. */
export type ServiceCommand =
  | { readonly id: number; readonly op: "probe" }
  | { readonly id: number; readonly op: "latency"; readonly ms: number };

/** The answer to a {@link ServiceCommand}. */
export interface ServiceReply {
  readonly id: number;
  /** Heap in use, in bytes (after a full GC for a probe). */
  readonly heapBytes: number;
  /** Backend queries since the start. */
  readonly queries: number;
}

const kinds = {
  legacy: startLegacyService,
  anchor: startAnchorService,
  perflayer: startService,
} as const;

async function main(): Promise<void> {
  const kind = process.argv[2] as keyof typeof kinds;
  const start = kinds[kind];
  if (start === undefined || process.send === undefined)
    throw new Error(
      `usage: service-process.ts <${Object.keys(kinds).join("|")}> '<json>' (with IPC)`,
    );
  const backend = new Backend(JSON.parse(process.argv[3] ?? "{}") as BackendOptions);
  const service = await start({ backend });
  const gc = (globalThis as { gc?: () => void }).gc;
  process.on("message", (command: ServiceCommand) => {
    if (command.op === "latency") backend.setLatency(command.ms);
    else gc?.(); // a probe measures what stays alive
    const reply: ServiceReply = {
      id: command.id,
      heapBytes: process.memoryUsage().heapUsed,
      queries: backend.queries,
    };
    process.send?.(reply);
  });
  process.once("disconnect", () => void service.close().then(() => process.exit(0)));
  console.log(`${kind} listening on ${service.url}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 2;
});
