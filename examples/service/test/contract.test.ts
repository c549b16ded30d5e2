import { expect, it } from "vitest";
import { CONTRACT, useService } from "@perflayer-examples/shared/contract";
import { startService } from "../src/server.js";

const service = useService(() => startService());

it.each(CONTRACT)("service $name", async ({ observe, expected }) => {
  expect(await observe(service())).toEqual(expected);
});
