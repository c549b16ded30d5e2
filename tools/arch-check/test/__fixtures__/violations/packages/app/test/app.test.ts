import { describe } from "vitest";
describe("app", () => undefined);
