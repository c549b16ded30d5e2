// A memo in a private field declared with its Map type and set in the constructor: the field's
// type becomes the memo's, written from the map's key and value.
export class Resolver {
  private readonly builtinCache: Map<string, boolean>;

  constructor(private readonly builtins: readonly string[]) {
    this.builtinCache = new Map();
  }

  isBuiltin(name: string): boolean {
    let result = this.builtinCache.get(name);
    if (result === undefined) {
      result = this.builtins.includes(name.replace(/^node:/, ""));
      this.builtinCache.set(name, result);
    }
    return result;
  }
}
