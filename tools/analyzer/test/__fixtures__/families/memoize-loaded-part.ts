// Fields filled on first use with a part of a loaded result: a member of the response, a test
// on the rows, also when the load sits in the `else` branch of the hit.
// expect: caching/memoize 23-29 elim 7 "single-value memo"
// expect: caching/memoize 34-40 elim 4 "single-value memo"
interface Response {
  readonly data: { readonly projectId: string };
}
interface Connection {
  execute(sql: string): Promise<unknown[]>;
  request(url: string): Promise<Response>;
}

export class Project {
  #projectId: string | undefined;
  readonly #capabilities: { checks?: boolean } = {};

  constructor(
    private readonly connection: Connection,
    private readonly projectNumber: string | undefined,
  ) {}

  async projectId(): Promise<string | null> {
    if (this.#projectId) {
      return this.#projectId;
    } else if (this.projectNumber) {
      const response = await this.connection.request(`/projects/${this.projectNumber}`);
      this.#projectId = response.data.projectId;
      return this.#projectId;
    }
    return null;
  }

  async supportsChecks(): Promise<boolean> {
    if (this.#capabilities.checks != null) {
      return this.#capabilities.checks;
    }
    const rows = await this.connection.execute(
      "select 1 from information_schema.check_constraints",
    );
    return (this.#capabilities.checks = rows.length > 0);
  }
}
