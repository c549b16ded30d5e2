// Fields filled on first use inside the `.then` of the work the method hands back (the `.then`
// spelling of `await`): the callback's value itself, or a value made from it; and a part taken
// apart from an awaited answer.
// expect: caching/memoize 26-33 elim 4 "single-value memo"
// expect: caching/memoize 39-43 elim 4 "single-value memo"
// expect: caching/memoize 48-55 elim 5 "single-value memo"
interface Credentials {
  readonly client_email?: string;
}
interface Discovery {
  findProjectId(app: string): Promise<string | null>;
  credentials(): Promise<Credentials>;
}

export class ProjectClient {
  private projectId: string | undefined;
  private pathPrefix: string | undefined;
  private accountId: string | undefined;

  constructor(
    private readonly discovery: Discovery,
    private readonly app: string,
  ) {}

  getProjectId(): Promise<string> {
    if (this.projectId) {
      return Promise.resolve(this.projectId);
    }
    return this.discovery.findProjectId(this.app).then((projectId) => {
      if (projectId === null) {
        throw new Error("Failed to determine the project id: pass it as an option.");
      }
      this.projectId = projectId;
      return projectId;
    });
  }

  getPathPrefix(): Promise<string> {
    if (this.pathPrefix) {
      return Promise.resolve(this.pathPrefix);
    }
    return this.discovery.findProjectId(this.app).then((projectId) => {
      this.pathPrefix = `projects/${String(projectId)}/`;
      return this.pathPrefix;
    });
  }

  async getAccountId(): Promise<string> {
    if (this.accountId) {
      return this.accountId;
    }
    const { client_email: clientEmail } = await this.discovery.credentials();
    this.accountId = clientEmail ?? "";
    return this.accountId;
  }
}
