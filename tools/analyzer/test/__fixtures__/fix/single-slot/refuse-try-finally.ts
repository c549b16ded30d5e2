let token: string | undefined;
let reads = 0;

export function currentToken(): string {
  if (token === undefined) {
    try {
      token = process.env.TOKEN ?? "anonymous";
    } catch {
      token = "anonymous";
    } finally {
      reads = reads + 1;
    }
  }
  return token;
}

export function tokenReads(): number {
  return reads;
}
