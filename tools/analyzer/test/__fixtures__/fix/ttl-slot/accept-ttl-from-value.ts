// The expiry comes from the loaded value: lazy's TTL function reads it from each token.
interface Token {
  readonly value: string;
  readonly expiresIn: number;
}
declare function issueToken(): Promise<Token>;

let token: Token | null = null;
let expiresAt = 0;

export async function currentToken(): Promise<Token> {
  if (token && Date.now() < expiresAt) {
    return token;
  }
  token = await issueToken();
  expiresAt = Date.now() + token.expiresIn;
  return token;
}
