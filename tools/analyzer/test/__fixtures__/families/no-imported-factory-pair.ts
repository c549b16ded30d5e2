// A value made by an imported factory, kept, and handed on with something else: one reading,
// never combined with a second one of the same function — no clock.
// expect: none
import { createContext, merge } from "./context";

export function run(extra: { id: string }): unknown {
  const context = createContext();
  const result = merge(context, extra);
  return result;
}
