import { describeContract } from "@perflayer-examples/shared/contract";
import { startLegacyService } from "../src/server.js";

describeContract("legacy-service", () => startLegacyService());
