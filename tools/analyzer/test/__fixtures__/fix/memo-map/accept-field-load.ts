// A per-instance memo in a field: each client has its own, a named shared cache would merge them.
export class Client {
  private readonly users = new Map<string, string>();

  constructor(private readonly fetchName: (id: string) => Promise<string>) {}

  async name(id: string): Promise<string> {
    const hit = this.users.get(id);
    if (hit !== undefined) return hit;
    const value = await this.fetchName(id);
    this.users.set(id, value);
    return value;
  }
}
