// A state per job stored from constants: set before the job is started (the `catch` only marks
// the failure), or picked by a flag. Nothing is worked out from the key: bookkeeping, not a memo.
// expect: none
import { startJob } from "./job-runner.js";

const states = new Map<string, string>();

export function begin(job: string): string {
  if (states.has(job)) return states.get(job) ?? "unknown";
  let state = "queued";
  try {
    state = "started";
    startJob(job);
  } catch {
    state = "failed";
  }
  states.set(job, state);
  return state;
}

const priorities = new Map<string, string>();

export function priorityOf(job: string, urgent: boolean): string {
  if (priorities.has(job)) return priorities.get(job) ?? "normal";
  let priority = "normal";
  if (urgent) priority = "high";
  priorities.set(job, priority);
  return priority;
}
