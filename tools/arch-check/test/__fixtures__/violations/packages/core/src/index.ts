export * from "./a.js";
export { b } from "./b.js";
