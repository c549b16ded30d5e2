// Commands loaded from a directory, built into a list and cached per directory once complete.
// expect: caching/cache-aside 9-21 elim 6 "loaded (I/O or a callback) on a miss"
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

export class ScriptLoader {
  private readonly commandCache = new Map<string, string[]>();

  async loadCommands(dir: string): Promise<string[]> {
    let commands = this.commandCache.get(dir);
    if (commands) {
      return commands;
    }
    const files = await readdir(dir);
    commands = [];
    for (const file of files.filter((f) => f.endsWith(".lua"))) {
      commands.push(await readFile(join(dir, file), "utf8"));
    }
    this.commandCache.set(dir, commands);
    return commands;
  }
}
