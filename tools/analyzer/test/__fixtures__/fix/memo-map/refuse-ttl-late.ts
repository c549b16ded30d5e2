// The TTL is declared after the map: a cache made where the map is would read it too early.
const tokens = new Map<string, { token: string; expires: number }>();

export function tokenFor(user: string): string {
  const hit = tokens.get(user);
  if (hit && hit.expires > Date.now()) return hit.token;
  const token = `${user}:${Math.random().toString(36).slice(2)}`;
  tokens.set(user, { token, expires: Date.now() + TOKEN_TTL });
  return token;
}

const TOKEN_TTL = 60_000;
