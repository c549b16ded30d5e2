// push/pop on a stack in a parser is not a pool.
export class Parser {
  private readonly stack: string[] = [];
  open(tag: string): void {
    this.stack.push(tag);
  }
  close(): string | undefined {
    return this.stack.pop();
  }
}
