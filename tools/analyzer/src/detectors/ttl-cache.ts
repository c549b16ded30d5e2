import { ts } from "ts-morph";
import { containsTimeRead, isTimeRead, walk } from "../ast.js";
import type { Detection, Detector } from "../detector.js";
import { count, findStores, readAndWritten, writtenValues } from "../stores.js";
import type { Store } from "../stores.js";

const COMPARISON = new Set([
  ts.SyntaxKind.LessThanToken,
  ts.SyntaxKind.GreaterThanToken,
  ts.SyntaxKind.LessThanEqualsToken,
  ts.SyntaxKind.GreaterThanEqualsToken,
]);
const TIME_FIELD =
  /^(expires?(At|On)?|expiry|expiration|ttl|deadline|timestamp|ts|time|storedAt|cachedAt|createdAt|updatedAt|savedAt|fetchedAt|at|validUntil|staleAt)$/i;

/** A comparison against the clock or a stored expiry field inside the store's scope. */
function expiryCheck(store: Store): ts.Node | undefined {
  let found: ts.Node | undefined;
  walk(store.scope, (node) => {
    if (
      found !== undefined ||
      !ts.isBinaryExpression(node) ||
      !COMPARISON.has(node.operatorToken.kind)
    )
      return;
    const mentionsTime =
      containsTimeRead(node) || mentionsTimeField(node) || mentionsNowVariable(node);
    if (mentionsTime && (mentionsTimeField(node) || containsTimeRead(node))) found = node;
  });
  return found;
}

function mentionsTimeField(root: ts.Node): boolean {
  let hit = false;
  walk(root, (node) => {
    if (!hit && ts.isPropertyAccessExpression(node) && TIME_FIELD.test(node.name.text)) hit = true;
  });
  return hit;
}

function mentionsNowVariable(root: ts.Node): boolean {
  let hit = false;
  walk(root, (node) => {
    if (!hit && ts.isIdentifier(node) && /^now$/i.test(node.text)) hit = true;
  });
  return hit;
}

/** Whether a written value carries a timestamp: `{ value, expires: Date.now() + ttl }`. */
function storesTimestamp(store: Store): boolean {
  return writtenValues(store).some(
    (value) =>
      ts.isObjectLiteralExpression(value) &&
      (containsTimeRead(value) ||
        value.properties.some((p) => p.name !== undefined && TIME_FIELD.test(p.name.getText()))),
  );
}

/**
 * Map or object caches with get/set plus expiry checks against the clock — the commonest
 * hand-rolled cache. Replaced by `@perflayer/cache` `getOrLoad(key, loader, { ttl })`.
 */
export const ttlCacheDetector: Detector = {
  id: "caching/ttl-map-cache",
  category: "caching",
  kinds: ["ttl-cache"],
  prefilter: /(Date\.now|performance\.now|hrtime|getTime)/,
  detect({ sourceFile }) {
    const detections: Detection[] = [];
    for (const store of findStores(sourceFile)) {
      if (!readAndWritten(store)) continue;
      const check = expiryCheck(store);
      if (check === undefined) continue;
      const timestamped = storesTimestamp(store);
      let timeInScope = false;
      walk(store.scope, (node) => {
        if (!timeInScope && isTimeRead(node)) timeInScope = true;
      });
      if (!timeInScope) continue;
      const evidence = [
        `${store.type === "map" ? "Map" : "object"} \`${store.name}\` read and written`,
        `expiry check: \`${check.getText(sourceFile).slice(0, 60)}\``,
      ];
      if (timestamped) evidence.push("entries store a timestamp");
      if (count(store, "delete") > 0 || store.elementWrites.length > 0)
        evidence.push("expired entries removed");
      detections.push({
        kind: "ttl-cache",
        confidence: timestamped ? 0.95 : 0.85,
        nodes: store.range,
        evidence,
        name: store.name,
      });
    }
    return detections;
  },
};
