// An option filled in from the configuration when the caller left it out: the member is defaulted
// from elsewhere, not derived from the options object it is kept on. The export names kept on each
// entry beside it are derived from that entry: a memo per object.
// expect: caching/memoize 23-27 elim 3 "kept on the object it is derived from"
interface FindOptions {
  populateWhere?: string;
  limit?: number;
}

export class Finder {
  constructor(private readonly config: ReadonlyMap<string, string>) {}

  options(options: FindOptions): string | undefined {
    if (options.populateWhere === undefined) {
      options.populateWhere = this.config.get("populateWhere");
    }
    return options.populateWhere;
  }
}

interface Entry { name: string; names?: string[] }

export function exportNames(entry: Entry, convention: string): string[] {
  if (entry.names) return entry.names;
  entry.names = convention === "camel" ? [entry.name, camel(entry.name)] : [entry.name];
  return entry.names;
}

function camel(name: string): string {
  return name.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
}
