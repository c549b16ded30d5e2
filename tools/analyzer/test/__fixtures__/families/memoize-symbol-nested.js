// Compiled functions kept per schema in a lazily created WeakMap behind two symbol-keyed fields.
// expect: caching/memoize 10-20 elim 5 "computed on a miss"
import { kContext, kCompiled } from "./symbols.js";

export function Reply(context, compiler) {
  this[kContext] = context;
  this.compiler = compiler;
}

Reply.prototype.compile = function (schema) {
  if (this[kContext][kCompiled]?.has(schema)) {
    return this[kContext][kCompiled].get(schema);
  }
  const fn = this.compiler({ schema, strict: true });
  if (this[kContext][kCompiled] == null) {
    this[kContext][kCompiled] = new WeakMap();
  }
  this[kContext][kCompiled].set(schema, fn);
  return fn;
};

Reply.prototype.header = function (name, value) {
  const headers = this[kContext].headers;
  if (headers[name] === undefined) {
    headers[name] = value;
  }
  return this;
};
