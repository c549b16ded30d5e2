interface Module {
  readonly id: string;
}
interface Runtime {
  readonly name: string;
}

const hashCache = new WeakMap<Runtime, WeakMap<Module, string>>();

export function hashOf(module: Module, runtime: Runtime): string {
  let byModule = hashCache.get(runtime);
  if (byModule === undefined) {
    byModule = new WeakMap();
    hashCache.set(runtime, byModule);
  }
  const known = byModule.get(module);
  if (known !== undefined) return known;
  const hash = `${runtime.name}:${module.id}`;
  byModule.set(module, hash);
  byModule.set(runtime as unknown as Module, hash);
  return hash;
}
