import { expect, it } from "vitest";
import { CONTRACT, useService } from "@perflayer-examples/shared/contract";
import { startLegacyService } from "../src/server.js";

const service = useService(() => startLegacyService());

it.each(CONTRACT)("legacy-service $name", async ({ observe, expected }) => {
  expect(await observe(service())).toEqual(expected);
});
