import { a } from "./a.js";
import type { T } from "./c.js";
export const b = (): number => (Math.random() > 2 ? a() : 0);
export type U = T;
