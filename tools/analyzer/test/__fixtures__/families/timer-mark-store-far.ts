// A map kept only to carry start marks from one hook to another, declared at the top of the
// module far from the hooks: its own range. A map that also holds other values is no such store.
// expect: monitoring/timer-delta 6-6 elim 1 "keeps only start marks, by key"
// expect: monitoring/timer-delta 24-29 elim 3 "start mark `if (!started.has(context))"
// expect: monitoring/timer-delta 31-35 elim 5 "start mark `notes.set(context, Date.now());`"
export const started = new WeakMap<object, number>();
export const notes = new Map<object, number>();

export interface Summary {
  observe(seconds: number): void;
}

export function label(context: object): string {
  return started.has(context) ? "timed" : "untimed";
}

export function remember(context: object, value: number): void {
  notes.set(context, value);
}

export function plugin(summary: Summary) {
  return {
    onEnveloped(context: object): void {
      if (!started.has(context)) started.set(context, Date.now());
    },
    onExecuteDone(context: object): void {
      const at = started.get(context);
      if (at === undefined) return;
      summary.observe((Date.now() - at) / 1000);
    },
    onNote(context: object): void {
      notes.set(context, Date.now());
      const at = notes.get(context);
      if (at !== undefined) summary.observe((Date.now() - at) / 1000);
    },
  };
}
