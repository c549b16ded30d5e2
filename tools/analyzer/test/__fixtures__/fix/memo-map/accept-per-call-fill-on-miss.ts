interface Module {
  readonly exports: readonly string[];
}

// Filled on a miss, per call of the pass that made the map.
export function passthroughs(modules: readonly Module[]): Module[] {
  const singleStar = new Map<Module, boolean>();
  const isPassthrough = (module: Module): boolean => {
    let result = singleStar.get(module);
    if (result === undefined) {
      result = module.exports.length === 1 && module.exports[0] === "*";
      singleStar.set(module, result);
    }
    return result;
  };
  return modules.filter(isPassthrough);
}
