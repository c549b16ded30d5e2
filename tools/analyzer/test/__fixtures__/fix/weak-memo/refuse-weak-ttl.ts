interface Session {
  readonly id: string;
}

declare function permissionsOf(id: string): string[];

const grants = new WeakMap<Session, { value: string[]; expires: number }>();

export function grantsOf(session: Session): string[] {
  const hit = grants.get(session);
  if (hit && hit.expires > Date.now()) return hit.value;
  const value = permissionsOf(session.id);
  grants.set(session, { value, expires: Date.now() + 60_000 });
  return value;
}
