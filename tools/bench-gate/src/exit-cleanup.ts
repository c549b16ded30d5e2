import type { ChildProcess } from "node:child_process";

/** Clean-ups to run if the process ends before their owners release them, newest first. */
const pending = new Set<() => void>();

const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

function runPending(): void {
  for (const cleanup of [...pending].reverse()) {
    pending.delete(cleanup);
    try {
      cleanup();
    } catch {
      // One failed clean-up must not keep the others from running.
    }
  }
}

function onSignal(signal: NodeJS.Signals): void {
  runPending();
  uninstall();
  // Die of the signal as if nobody had listened, so the parent sees the usual status (130, 143).
  process.kill(process.pid, signal);
}

function install(): void {
  process.on("exit", runPending);
  for (const signal of SIGNALS) process.on(signal, onSignal);
}

function uninstall(): void {
  process.off("exit", runPending);
  for (const signal of SIGNALS) process.off(signal, onSignal);
}

/**
 * Runs `cleanup` (synchronously) if the process exits or is stopped by SIGINT, SIGTERM or SIGHUP
 * before the returned release function is called — the way temporary checkouts and child processes
 * are removed on every exit path. Clean-ups run newest first (child processes before the folders
 * they work in). The handlers are installed only while a clean-up is pending.
 * @param cleanup - what to undo
 * @returns a function that forgets `cleanup` (call it once the owner cleaned up itself)
 */
export function cleanupOnExit(cleanup: () => void): () => void {
  if (pending.size === 0) install();
  pending.add(cleanup);
  return () => {
    pending.delete(cleanup);
    if (pending.size === 0) uninstall();
  };
}

/**
 * Stops `child` (and, for a detached child, every process of its group) if this process ends
 * while it runs; the registration ends by itself when the child closes.
 * @param child - a running child process
 * @param group - whether it leads its own process group (spawned with `detached: true`)
 * @returns a function that stops the child the same way now (a timeout, say)
 */
export function stopOnExit(child: ChildProcess, group = false): () => void {
  const stop = (): void => {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    try {
      if (group) process.kill(-child.pid, "SIGKILL");
      else child.kill("SIGKILL");
    } catch {
      // already gone
    }
  };
  const release = cleanupOnExit(stop);
  child.once("close", release);
  child.once("error", release);
  return stop;
}
