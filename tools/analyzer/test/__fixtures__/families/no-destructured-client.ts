// A client taken apart from a factory's answer and kept on first use, then called: an object the
// factory made (lazy initialisation of a resource), not a value worked out and kept.
// expect: none
interface Auth {
  getClient(): Promise<object>;
}
declare function populateAuth(path: string): { auth: Auth; client: object };

export class Credential {
  private auth: Auth | undefined;

  constructor(private readonly path: string) {}

  private getAuth(): Auth {
    if (this.auth) {
      return this.auth;
    }
    const { auth } = populateAuth(this.path);
    this.auth = auth;
    return this.auth;
  }

  async client(): Promise<object | undefined> {
    this.getAuth();
    return this.auth?.getClient();
  }
}
