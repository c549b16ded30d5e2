import { ts } from "ts-morph";
import { chain, nameOf, walk } from "../ast.js";
import type { Detection, Detector } from "../detector.js";

const ACQUIRE = /^(acquire|get|take|borrow|alloc|allocate|obtain|checkout|lease|rent|create)\w*$/i;
const RELEASE = /^(release|put|return|free|recycle|giveBack|checkin|dispose|restore|reclaim)\w*$/i;

interface Member {
  readonly name: string;
  readonly body: ts.Node;
  /** The whole declaration (for module-level functions, the reported range). */
  readonly node: ts.Node;
}

function members(container: ts.Node): Member[] {
  const found: Member[] = [];
  if (ts.isClassDeclaration(container) || ts.isClassExpression(container)) {
    for (const member of container.members) {
      if (ts.isMethodDeclaration(member) && member.body !== undefined)
        found.push({ name: member.name.getText(), body: member.body, node: member });
      if (
        ts.isPropertyDeclaration(member) &&
        member.initializer !== undefined &&
        (ts.isArrowFunction(member.initializer) || ts.isFunctionExpression(member.initializer))
      )
        found.push({ name: member.name.getText(), body: member.initializer, node: member });
    }
  } else if (ts.isObjectLiteralExpression(container)) {
    for (const prop of container.properties) {
      if (ts.isMethodDeclaration(prop) && prop.body !== undefined)
        found.push({ name: prop.name.getText(), body: prop.body, node: prop });
      if (
        ts.isPropertyAssignment(prop) &&
        (ts.isArrowFunction(prop.initializer) || ts.isFunctionExpression(prop.initializer))
      )
        found.push({ name: prop.name.getText(), body: prop.initializer, node: prop });
    }
  } else if (ts.isSourceFile(container)) {
    // Module-level pools: `const spare = []` with `function take()` / `function release()`.
    for (const statement of container.statements) {
      if (ts.isFunctionDeclaration(statement) && statement.name && statement.body)
        found.push({ name: statement.name.text, body: statement.body, node: statement });
      if (ts.isVariableStatement(statement))
        for (const d of statement.declarationList.declarations)
          if (
            ts.isIdentifier(d.name) &&
            d.initializer !== undefined &&
            (ts.isArrowFunction(d.initializer) || ts.isFunctionExpression(d.initializer))
          )
            found.push({ name: d.name.text, body: d.initializer, node: statement });
    }
  }
  return found;
}

/** The module-level statement declaring `name`, if any. */
function moduleDeclaration(sourceFile: ts.SourceFile, name: string): ts.Node | undefined {
  return sourceFile.statements.find(
    (s) =>
      ts.isVariableStatement(s) &&
      s.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === name),
  );
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
    const containers: ts.Node[] = [sourceFile];
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
        const declared = ts.isSourceFile(container)
          ? moduleDeclaration(sourceFile, array)
          : undefined;
        if (ts.isSourceFile(container) && declared === undefined) continue;
        const node =
          declared !== undefined
            ? declared
            : ts.isObjectLiteralExpression(container) && ts.isVariableDeclaration(container.parent)
              ? container.parent.parent.parent
              : container;
        const named = /pool/i.test(nameOf(node) ?? "") || /pool|free/i.test(array);
        detections.push({
          kind: "object-pool",
          confidence: createsWhenEmpty(a.body) ? (named ? 0.95 : 0.85) : 0.7,
          nodes: declared === undefined ? [node] : [node, a.node, r.node],
          evidence: [
            `\`${a.name}()\` takes from \`${array}\``,
            `\`${r.name}()\` pushes back`,
            ...(createsWhenEmpty(a.body) ? ["creates a new object when empty"] : []),
          ],
          name: declared === undefined ? nameOf(node) : array,
        });
        break;
      }
    }
    return detections;
  },
};
