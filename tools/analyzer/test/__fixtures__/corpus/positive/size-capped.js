// expect: caching/size-capped-cache
const MAX_ENTRIES = 500;
const recent = new Map();

function remember(key, value) {
  if (recent.size >= MAX_ENTRIES) {
    const oldest = recent.keys().next().value;
    recent.delete(oldest);
  }
  recent.set(key, value);
}

function recall(key) {
  return recent.get(key);
}

module.exports = { remember, recall };
