import { describeContract } from "@perflayer-examples/shared/contract";
import { startService } from "../src/server.js";

describeContract("service", () => startService());
