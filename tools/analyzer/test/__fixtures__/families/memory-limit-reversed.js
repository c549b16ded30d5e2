// A process's reported memory is checked against its restart limit written the other way round
// (limit < figure); over it, the process is reloaded.
// expect: memory/memory-polling 5-10 elim 6 "memory usage compared with a limit"
export function checkRestart(proc, report, reload, done) {
  if (proc.env.max_memory_restart !== undefined && proc.env.max_memory_restart < report.monit.memory) {
    console.log("restarting %s: memory %d over its limit", proc.id, report.monit.memory);
    reload(proc.id, () => done());
  } else {
    done();
  }
}
