// Near misses: an entry of zeroed state used after the miss (a tally per key, changed in place),
// a value copied from the key (nothing computed) and indexed after, a record of lowered flags, a
// local map that groups one call's rows, and a first position kept where the miss returns (code
// after it runs on a hit only): state, grouping or duplicate marks, not a value worked out once.
// expect: none
const tallies = new Map();

export function count(name) {
  let tally = tallies.get(name);
  if (!tally) {
    tally = { hits: 0, misses: 0 };
    tallies.set(name, tally);
  }
  tally.hits++;
  return tally.hits;
}

const aliases = new Map();

export function aliasOf(name) {
  let alias = aliases.get(name);
  if (!alias) {
    alias = name;
    aliases.set(name, alias);
  }
  return alias[0];
}

const states = new Map();

export function stateOf(id) {
  let state = states.get(id);
  if (!state) {
    state = { started: false, stopped: false };
    states.set(id, state);
  }
  if (state.started) return "running";
  return "idle";
}

export function groupRows(rows, split) {
  const groups = {};
  for (const row of rows) {
    let group = groups[row.table];
    if (!group) {
      group = split(row.table);
      groups[row.table] = group;
    }
    group.push(row);
  }
  return groups;
}

const firstSeen = new Map();

export function checkDuplicate(selector, line, normalize, report) {
  const normal = normalize(selector);
  const first = firstSeen.get(normal);
  if (!first) {
    firstSeen.set(normal, { line: line + normal.length });
    return;
  }
  report(normal, first.line);
}
