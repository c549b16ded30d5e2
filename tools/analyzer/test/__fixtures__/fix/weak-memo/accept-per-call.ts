interface Options {
  readonly strict: boolean;
}

// A WeakMap made per call of a factory: one memoizeWeak per resolver, as one map was.
export function resolverFor(base: Options): (options: Options) => Options {
  const children = new WeakMap<Options, Options>();
  return (options: Options): Options => {
    const known = children.get(options);
    if (known !== undefined) return known;
    const merged = { strict: base.strict || options.strict };
    children.set(options, merged);
    return merged;
  };
}
