// One value kept with its expiry, returned while it is fresh.
interface Token {
  readonly value: string;
}
declare function issueToken(): Promise<Token>;

let token: Token | null = null;
let expiresAt = 0;

export async function currentToken(): Promise<Token> {
  if (token && Date.now() < expiresAt) {
    return token;
  }
  token = await issueToken();
  expiresAt = Date.now() + 5 * 60_000;
  return token;
}
