"use strict";

// A WeakMap per instance, made in the constructor and filled by one method.
class RenderCache {
  constructor(renderer) {
    this.renderer = renderer;
    this._rendered = new WeakMap();
  }

  render(module) {
    const cached = this._rendered.get(module);
    if (cached !== undefined) return cached;
    const source = this.renderer.render(module.source);
    this._rendered.set(module, source);
    return source;
  }
}

module.exports = RenderCache;
