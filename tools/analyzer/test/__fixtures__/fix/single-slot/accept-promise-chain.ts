// A promise-returning getter that resolves a kept value, else loads it through a chain whose last
// callback keeps it (the shape of firebase-admin's API clients).
interface App {
  readonly name: string;
}

declare function findProjectId(app: App): Promise<string | null>;

export class ApiClient {
  private projectIdPrefix?: string;

  constructor(private readonly app: App) {}

  private getProjectIdPrefix(): Promise<string> {
    if (this.projectIdPrefix) {
      return Promise.resolve(this.projectIdPrefix);
    }
    return findProjectId(this.app)
      .then((projectId) => {
        if (projectId === null) {
          throw new Error(`No project ID for app ${this.app.name}. Set one in its options.`);
        }
        this.projectIdPrefix = `projects/${projectId}`;
        return this.projectIdPrefix;
      });
  }

  async resource(id: string): Promise<string> {
    return `${await this.getProjectIdPrefix()}/items/${id}`;
  }
}
