// The expiry is read by another function too: the stamp is state other code relies on.
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

export function secondsLeft(): number {
  return Math.max(0, (expiresAt - Date.now()) / 1000);
}
