// One run of a workload in this process, e.g.
//   node --import tsx --conditions=@perflayer/source bench/workloads/run-workload.ts \
//     '{"workload":"catalogue","variant":"optimizer","seconds":60}'
// It prints the result as JSON (and sends it to a parent that forked it).
import { burstyService, catalogueService } from "./services.js";
import { runService } from "./service-workload.js";
import type { WorkloadResult } from "./service-workload.js";
import { buildVariant } from "./variants.js";
import type { Variant } from "./variants.js";

/** Which run to make. */
export interface WorkloadSpec {
  /** `catalogue` (the workload) or `bursty`. */
  readonly workload: "catalogue" | "bursty";
  readonly variant: Variant;
  /** Length of the run at the target rate. */
  readonly seconds: number;
  /** @defaultValue 20_000 for catalogue, 5_000 for bursty */
  readonly rate?: number;
  /** @defaultValue 96 for catalogue (the issue's), 128 for bursty */
  readonly budgetMiB?: number;
  /** Entries of the `sized` variant. @defaultValue 25_000 */
  readonly sizedMax?: number;
  /** @defaultValue 1 */
  readonly seed?: number;
}

/**
 * Makes one run.
 * @param spec - the workload, variant and length
 * @returns its figures
 */
export async function runWorkload(spec: WorkloadSpec): Promise<WorkloadResult> {
  const rate = spec.rate ?? (spec.workload === "catalogue" ? 20_000 : 5_000);
  const budgetBytes = (spec.budgetMiB ?? (spec.workload === "catalogue" ? 96 : 128)) * 2 ** 20;
  const requests = Math.round(spec.seconds * rate);
  const parts = buildVariant(spec.variant, budgetBytes, spec.sizedMax ?? 25_000);
  const handler =
    spec.workload === "catalogue"
      ? catalogueService(parts.cache, requests, spec.seed ?? 1)
      : burstyService(parts.cache, rate, spec.seed ?? 1);
  try {
    return await runService(parts, handler, { requests, rate, budgetBytes });
  } finally {
    await parts.close();
  }
}

const arg = process.argv[2];
if (arg !== undefined && process.argv[1]?.endsWith("run-workload.ts")) {
  const result = await runWorkload(JSON.parse(arg) as WorkloadSpec);
  if (process.send === undefined) console.log(JSON.stringify(result, null, 2));
  else process.send(result, () => process.disconnect());
}
