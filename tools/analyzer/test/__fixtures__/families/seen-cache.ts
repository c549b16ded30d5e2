// Each deprecated option is reported once per process.
// expect: caching/seen-cache 3-6 elim 3 "remembers keys already handled"
const reported = new Set<string>();
export function warnDeprecated(option: string, log: (message: string) => void): void {
  if (reported.has(option)) return;
  reported.add(option);
  log(`option "${option}" is deprecated`);
}
