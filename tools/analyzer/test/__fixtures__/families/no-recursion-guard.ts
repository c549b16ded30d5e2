// A re-entry guard: ids being linked are marked while the recursion runs and released in
// `finally`; nothing handled is remembered across calls.
// expect: none
interface Mod {
  readonly id: string;
  readonly imports: readonly Mod[];
}

export class Linker {
  private readonly linking = new Set<string>();

  link(mod: Mod): void {
    if (this.linking.has(mod.id)) {
      return;
    }
    this.linking.add(mod.id);
    try {
      for (const dep of mod.imports) this.link(dep);
    } finally {
      this.linking.delete(mod.id);
    }
  }
}
