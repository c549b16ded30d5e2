import { ts } from "ts-morph";
import { chain } from "../ast.js";
import { factsOf } from "../file-facts.js";
import type { SlotMemo } from "./slot-memo.js";
import { slotTests } from "./slot-facts.js";
import { promiseOnce } from "./promise-once.js";
import { checkedSlotMemo, logicalSlotMemo } from "./checked-slot-memo.js";
import { lastSeenMemo } from "./last-seen-memo.js";

const slotsByFile = new WeakMap<ts.SourceFile, SlotMemo[]>();

/**
 * Single-slot memos of a file: `if (slot) return slot; … slot = compute()` (or `slot ??= …`) in one
 * function, where the slot is emptied elsewhere (an invalidated memo) or lives in the closure of a
 * function that returns a function (a memoize/once helper). Plain lazy initialisation — a field
 * filled once and never emptied — is not reported: the convention leaves it out.
 * @param sourceFile - the parsed file
 * @returns the memos
 */
export function slotMemos(sourceFile: ts.SourceFile): SlotMemo[] {
  const known = slotsByFile.get(sourceFile);
  if (known !== undefined) return known;
  const memos: SlotMemo[] = [];
  slotsByFile.set(sourceFile, memos);
  const facts = factsOf(sourceFile);
  for (const fn of facts.functions) {
    if (fn.body === undefined || !ts.isBlock(fn.body)) continue;
    const body = fn as ts.FunctionLikeDeclaration & { body: ts.Block };
    for (const statement of fn.body.statements) {
      // `slot ??= start(); return slot`
      if (
        ts.isExpressionStatement(statement) &&
        ts.isBinaryExpression(statement.expression) &&
        [ts.SyntaxKind.QuestionQuestionEqualsToken, ts.SyntaxKind.BarBarEqualsToken].includes(
          statement.expression.operatorToken.kind,
        )
      ) {
        const slot = chain(statement.expression.left);
        const once =
          slot === undefined
            ? undefined
            : promiseOnce(facts, body, statement, slot, statement.expression);
        const memo = once ?? logicalSlotMemo(body, statement);
        if (memo !== undefined) {
          memos.push(memo);
          break;
        }
        continue;
      }
      if (!ts.isIfStatement(statement)) continue;
      const memo = slotTests(statement.expression)
        .map((test) => checkedSlotMemo(facts, body, statement, test))
        .find((m) => m !== undefined);
      if (memo !== undefined) {
        memos.push(memo);
        break;
      }
    }
    // None at the top: an `if` on the slot nested in the block of an `if` on something else (`if
    // (PATH) { if (data === null) data = read(PATH); return data }`).
    if (memos.some((m) => m.fn === fn)) continue;
    for (const outer of fn.body.statements) {
      if (
        !ts.isIfStatement(outer) ||
        outer.elseStatement !== undefined ||
        !ts.isBlock(outer.thenStatement)
      )
        continue;
      const memo = outer.thenStatement.statements
        .filter(ts.isIfStatement)
        .flatMap((s) => slotTests(s.expression).map((test) => ({ s, test })))
        .map(({ s, test }) => checkedSlotMemo(facts, body, s, test))
        .find((m) => m !== undefined);
      if (memo !== undefined) {
        memos.push(memo);
        break;
      }
    }
  }
  for (const fn of facts.functions) {
    const memo = lastSeenMemo(sourceFile, fn);
    if (memo !== undefined && !memos.some((m) => m.fn === fn)) memos.push(memo);
  }
  return memos;
}
