/**
 * A Flow-typed module: the same code as plain.js, line for line, with types.
 * @flow strict
 */
import type { Logger } from "./logger";
import { type Clock, systemClock } from "./clock";
import typeof Fs from "fs";

export type Options = {|
  +ttl: number,
  label?: ?string,
|};

opaque type Key: string = string;

declare var __DEV__: boolean;

const parsed: Map<Key, Array<string>> = new Map(); // clés → mots 🙂

export function tokens(source: Key): Array<string> {
  const known: ?Array<string> = parsed.get(source);
  if (known !== undefined) return known;
  const value = source.split(/\s+/).map((t: string): string => t.trim());
  parsed.set(source, value);
  return value;
}

export class Report<T: { +name: string, ... }> {
  _items: $ReadOnlyArray<T>;
  _names: ?Array<string> = null;

  constructor(items: $ReadOnlyArray<T>) {
    this._items = items;
  }

  names(): Array<string> {
    if (this._names) return this._names;
    this._names = this._items.map((item: T) => item.name.toUpperCase());
    return this._names;
  }

  reset(): void {
    this._names = null;
  }
}

export async function timed<R>(work: () => Promise<R>, log: Logger, clock: Clock = systemClock): Promise<R> {
  const started: number = Date.now();
  const result: R = await work();
  log.info(`work took ${Date.now() - started} ms — done ✓`);
  return result;
}

export function withDeadline<V>(work: Promise<V>, ms: number): Promise<V> {
  return Promise.race([
    work,
    new Promise<V>((_, reject: (Error) => void) => setTimeout(() => reject(new Error("slow")), ms)),
  ]);
}

export function size(value: mixed, fs: Fs): number {
  return ((value: any): string).length;
}
