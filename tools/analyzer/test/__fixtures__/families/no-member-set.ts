// The set of a bundle's inputs is built with a has/add check, then iterated: data the program
// works with, not a memory of handled keys.
// expect: none
export class Bundle {
  private readonly inputs = new Set<string>();

  include(file: string, imports: (file: string) => string[]): void {
    if (this.inputs.has(file)) return;
    this.inputs.add(file);
    for (const dep of imports(file)) this.include(dep, imports);
  }

  files(): string[] {
    return [...this.inputs].sort();
  }
}
