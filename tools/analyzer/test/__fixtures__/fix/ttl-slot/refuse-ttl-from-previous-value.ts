// The expiry is stamped from the value before the new one is loaded: the previous token's.
interface Token {
  readonly value: string;
  readonly expiresIn: number;
}
declare function issueToken(): Token;

let token: Token | null = null;
let expiresAt = 0;

export function currentToken(): Token {
  if (token && Date.now() < expiresAt) {
    return token;
  }
  expiresAt = Date.now() + (token ? token.expiresIn : 1_000);
  token = issueToken();
  return token;
}
