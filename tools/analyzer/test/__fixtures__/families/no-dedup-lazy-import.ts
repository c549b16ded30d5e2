// A module loaded once and kept; the slot is emptied only when the load fails, so the next call
// tries again. Lazy loading, not in-flight sharing.
// expect: none
let fsModule: Promise<typeof import("node:fs/promises")> | undefined;

export function fsPromises(): Promise<typeof import("node:fs/promises")> {
  fsModule ??= import("node:fs/promises").catch((error: unknown) => {
    fsModule = undefined;
    throw error;
  });
  return fsModule;
}
