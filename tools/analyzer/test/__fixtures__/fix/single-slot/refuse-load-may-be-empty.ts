// The load may find nothing: the `!this.instanceId` test loads again next time, lazy would keep it.
export class VersionService {
  private instanceId?: string;

  private async readInstanceId(): Promise<string | undefined> {
    const row = await Promise.resolve<{ id?: string }>({});
    return row.id;
  }

  async getInstanceId(): Promise<string | undefined> {
    if (!this.instanceId) {
      this.instanceId = await this.readInstanceId();
    }
    return this.instanceId;
  }
}
