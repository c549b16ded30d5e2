import { ts } from "ts-morph";
import { chain, nameOf, walk } from "../ast.js";
import type { Detection, Detector } from "../detector.js";

const ACQUIRE = /^(acquire|get|take|borrow|alloc|allocate|obtain|checkout|lease|rent|create)\w*$/i;
const RELEASE = /^(release|put|return|free|recycle|giveBack|checkin|dispose|restore|reclaim)\w*$/i;

interface Member {
  readonly name: string;
  readonly body: ts.Node;
}

function members(container: ts.Node): Member[] {
  const found: Member[] = [];
  if (ts.isClassDeclaration(container) || ts.isClassExpression(container)) {
    for (const member of container.members) {
      if (ts.isMethodDeclaration(member) && member.body !== undefined)
        found.push({ name: member.name.getText(), body: member.body });
      if (
        ts.isPropertyDeclaration(member) &&
        member.initializer !== undefined &&
        (ts.isArrowFunction(member.initializer) || ts.isFunctionExpression(member.initializer))
      )
        found.push({ name: member.name.getText(), body: member.initializer });
    }
  } else if (ts.isObjectLiteralExpression(container)) {
    for (const prop of container.properties) {
      if (ts.isMethodDeclaration(prop) && prop.body !== undefined)
        found.push({ name: prop.name.getText(), body: prop.body });
      if (
        ts.isPropertyAssignment(prop) &&
        (ts.isArrowFunction(prop.initializer) || ts.isFunctionExpression(prop.initializer))
      )
        found.push({ name: prop.name.getText(), body: prop.initializer });
    }
  }
  return found;
}

/** Array names popped/shifted in `body`, with a fallback creation when empty. */
function takesFromArray(body: ts.Node): string[] {
  const arrays: string[] = [];
  walk(body, (node) => {
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      (node.expression.name.text === "pop" || node.expression.name.text === "shift") &&
      node.arguments.length === 0
    ) {
      const target = chain(node.expression.expression);
      if (target !== undefined) arrays.push(target);
    }
  });
  return arrays;
}

function pushesToArray(body: ts.Node, array: string): boolean {
  let pushes = false;
  walk(body, (node) => {
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      node.expression.name.text === "push" &&
      chain(node.expression.expression) === array
    )
      pushes = true;
  });
  return pushes;
}

function createsWhenEmpty(body: ts.Node): boolean {
  let creates = false;
  walk(body, (node) => {
    if (
      ts.isNewExpression(node) ||
      (ts.isCallExpression(node) &&
        /^(Buffer\.(alloc|allocUnsafe|allocUnsafeSlow)|create|factory|make|this\.(create|factory|make)\w*)/.test(
          chain(node.expression) ?? "",
        ))
    )
      creates = true;
    if (
      ts.isBinaryExpression(node) &&
      (node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken ||
        node.operatorToken.kind === ts.SyntaxKind.BarBarToken)
    )
      creates = true;
  });
  return creates;
}

/**
 * Object and buffer pools: acquire pops from an array free-list (creating when empty), release
 * pushes back. Replaced by `@perflayer/memory` `ObjectPool` / `BufferPool` (bounds, misuse
 * detection, pressure shedding). A read buffer merely named "pool" is not one.
 */
export const objectPoolDetector: Detector = {
  id: "memory/object-pool",
  category: "memory",
  kinds: ["object-pool"],
  prefilter: /\.(pop|shift)\(\)/,
  detect({ sourceFile }) {
    const detections: Detection[] = [];
    const containers: ts.Node[] = [];
    walk(sourceFile, (node) => {
      if (
        ts.isClassDeclaration(node) ||
        ts.isClassExpression(node) ||
        ts.isObjectLiteralExpression(node)
      )
        containers.push(node);
    });
    for (const container of containers) {
      const list = members(container);
      const acquire = list.filter((m) => ACQUIRE.test(m.name));
      const release = list.filter((m) => RELEASE.test(m.name));
      for (const a of acquire) {
        const arrays = takesFromArray(a.body);
        const r = release.find((m) => arrays.some((array) => pushesToArray(m.body, array)));
        if (r === undefined || arrays.length === 0) continue;
        const array = arrays.find((name) => pushesToArray(r.body, name)) as string;
        const node =
          ts.isObjectLiteralExpression(container) && ts.isVariableDeclaration(container.parent)
            ? container.parent.parent.parent
            : container;
        const named = /pool/i.test(nameOf(node) ?? "") || /pool|free/i.test(array);
        detections.push({
          kind: "object-pool",
          confidence: createsWhenEmpty(a.body) ? (named ? 0.95 : 0.85) : 0.7,
          nodes: [node],
          evidence: [
            `\`${a.name}()\` takes from \`${array}\``,
            `\`${r.name}()\` pushes back`,
            ...(createsWhenEmpty(a.body) ? ["creates a new object when empty"] : []),
          ],
          name: nameOf(node),
        });
        break;
      }
    }
    return detections;
  },
};
