import { LRUCache } from "lru-cache";
import { b } from "@fx/core/src/b.js";
import { cache } from "@fx/cache";
import { a } from "../../core/src/a.js";
import leftPad from "left-pad";
export default { LRUCache, b, cache, a, leftPad };
