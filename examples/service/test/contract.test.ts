import { expect, it } from "vitest";
import { ManualClock } from "@perflayer/core";
import { CONTRACT, useService } from "@perflayer-examples/shared/contract";
import { startService } from "../src/server.js";

const service = useService(() =>
  // Cache expiry on a manual clock: the contract checks caching, not a slow machine's real time.
  startService({ clock: new ManualClock() }),
);

it.each(CONTRACT)("service $name", async ({ observe, expected }) => {
  expect(await observe(service())).toEqual(expected);
});
