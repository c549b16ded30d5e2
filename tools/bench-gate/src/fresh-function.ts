// Loop functions built from source text at run time, each with source text of its own.

/** Loop functions made so far in this process: the number that makes each source unique. */
let made = 0;

/**
 * A new function from `params` and `body`, like `new Function(...params, body)`, with a source
 * text no other function of this process has (a numbered comment is prepended to the body).
 *
 * Why: V8 caches what `new Function` compiles by its source text, so a second `new Function` with
 * the same text returns a function sharing the first one's SharedFunctionInfo — and its feedback
 * vector. Every loop of a batch then ran through one loop function whose call site `body(i)` had
 * seen every benchmark's body (megamorphic), and V8 stopped inlining the bodies into it: a body
 * doing twice the work counted 1.65× in a batch (checked with `%DebugPrint`), 1.997× once each loop
 * had its own source.
 * @param params - the parameter names
 * @param body - the function's body
 * @returns the function, typed as the caller says
 */
export function freshFunction<F>(params: readonly string[], body: string): F {
  made += 1;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- a function of its own per loop is the point
  return new Function(...params, `/* bench-gate loop ${made} */ ${body}`) as F;
}
