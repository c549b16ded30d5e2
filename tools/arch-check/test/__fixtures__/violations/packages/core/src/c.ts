import type { U } from "./b.js";
export type T = U | string;
