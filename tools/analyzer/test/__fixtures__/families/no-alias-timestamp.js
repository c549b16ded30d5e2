// A clock bound to a module name and used only to stamp records: a timestamp stored as data, not a
// timing.
// expect: none
const { now } = Date;
const currentTime = Date.now;

export function record(event, sink) {
  sink.push({ ...event, at: now() });
}

export function touch(session) {
  session.lastSeen = currentTime();
  return session;
}
