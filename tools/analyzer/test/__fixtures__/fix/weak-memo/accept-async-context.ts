interface Request {
  readonly headers: Record<string, string>;
}

declare function loadUser(token: string): Promise<{ id: string }>;

const users = new WeakMap<Request, { id: string }>();

export async function userOf(request: Request): Promise<{ id: string }> {
  if (users.has(request)) return users.get(request)!;
  const user = await loadUser(request.headers.authorization ?? "");
  users.set(request, user);
  return user;
}
