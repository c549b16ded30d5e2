import { expect, it } from "vitest";
import { CONTRACT, useService } from "@perflayer-examples/shared/contract";
import { startAnchorService } from "../src/server.js";

const service = useService(() =>
  // A TTL no burst outlasts, however slow the machine (the contract checks caching, not expiry).
  startAnchorService({ productTtlMs: 60 * 60_000 }),
);

it.each(CONTRACT)("anchor-service $name", async ({ observe, expected }) => {
  expect(await observe(service())).toEqual(expected);
});
