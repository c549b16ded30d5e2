#!/usr/bin/env node
// Thin shim (STYLE rule 12): the CLI lives in the library; only this file sets the exit code.
import { processIo } from "@perflayer/toolkit";
import { run } from "@perflayer/analyzer";

process.exitCode = await run(process.argv.slice(2), processIo());
