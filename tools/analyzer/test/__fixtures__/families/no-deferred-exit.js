// A failure path that reports and exits after a short delay: nothing is tried again.
// expect: none
export function dropPrivileges(env) {
  try {
    if (env.gid) process.setgid(env.gid);
    if (env.uid) process.setuid(env.uid);
  } catch (e) {
    setTimeout(function () {
      console.error("%s on call %s", e.message, e.syscall);
      return process.exit(1);
    }, 100);
  }
}
