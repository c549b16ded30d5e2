// Child processes pooled per script: one free list per script reached through an accessor; a
// take pops one or forks a new one when the list is empty, a release gives it back.
// expect: memory/object-pool 10-22 elim 12 "free list `this…freeFor()`"
import { fork } from "node:child_process";

export function ForkPool() {
  this.free = {};
}

ForkPool.prototype.take = function (script) {
  let child = this.freeFor(script).pop();
  if (child) {
    return Promise.resolve(child);
  }
  child = fork(script);
  child.script = script;
  return Promise.resolve(child);
};

ForkPool.prototype.give = function (child) {
  this.freeFor(child.script).push(child);
};

ForkPool.prototype.freeFor = function (script) {
  return (this.free[script] = this.free[script] || []);
};
