import { createHash } from "node:crypto";

/** A Lua script run with EVALSHA (EVAL once when the server does not know it yet). */
export interface LuaScript {
  /** Its source. */
  readonly source: string;
  /** SHA-1 of the source, for EVALSHA. */
  readonly sha: string;
}

function script(source: string): LuaScript {
  return { source, sha: createHash("sha1").update(source).digest("hex") };
}

// Adds member ARGV[m] to the tag sets of ARGV[first..]; a tag set lives as long as its longest
// member (ttl 0: forever), and its TTL is never shortened.
const TAG = `
local function tag(base, member, ttl, first)
  for i = first, #ARGV do
    local set = base .. 't:' .. ARGV[i]
    local added = redis.call('SADD', set, member)
    if ttl == 0 then
      redis.call('PERSIST', set)
    else
      local left = redis.call('PTTL', set)
      if (added == 1 and redis.call('SCARD', set) == 1) or (left >= 0 and left < ttl) then
        redis.call('PEXPIRE', set, ttl)
      end
    end
  end
end
`;

/**
 * The value, or the fleet-wide load lock.
 * KEYS: data, lock, epoch. ARGV: token, lockTtl, base, member, ttl, skipRead (1/0), tags….
 * Returns `{1, value}` (a hit), `{2, epoch}` (this caller holds the lock) or `{3}` (another holds it).
 */
export const ACQUIRE: LuaScript = script(`${TAG}
if ARGV[6] == '0' then
  local value = redis.call('GET', KEYS[1])
  if value then return {1, value} end
end
if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then
  local ttl = tonumber(ARGV[5])
  tag(ARGV[3], ARGV[4], ttl == 0 and 0 or ttl + tonumber(ARGV[2]), 7)
  return {2, redis.call('GET', KEYS[3]) or '0'}
end
return {3}
`);

/**
 * Stores a loaded value if this caller still holds the lock and no prefix invalidation or clear
 * happened since it took it (an invalidation of the key or its tags deletes the lock), then tells
 * waiters. KEYS: data, lock, epoch. ARGV: token, epoch, bytes, ttl, channel, message.
 * Returns 1 when stored, 0 when the lock was lost (invalidated meanwhile).
 */
export const STORE: LuaScript = script(`
if redis.call('GET', KEYS[2]) ~= ARGV[1] or (redis.call('GET', KEYS[3]) or '0') ~= ARGV[2] then
  return 0
end
if ARGV[4] == '0' then
  redis.call('SET', KEYS[1], ARGV[3])
else
  redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[4])
end
redis.call('DEL', KEYS[2])
redis.call('PUBLISH', ARGV[5], ARGV[6])
return 1
`);

/** Gives the lock up (a failed load) and tells waiters. KEYS: lock. ARGV: token, channel, message. */
export const RELEASE: LuaScript = script(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  redis.call('PUBLISH', ARGV[2], ARGV[3])
  return 1
end
return 0
`);

/** Extends the lock while the loader runs. KEYS: lock. ARGV: token, lockTtl. */
export const RENEW: LuaScript = script(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
`);

/**
 * A \`set\` written through: the value, its tags, the lock dropped (a load in flight must not
 * overwrite it) and the other processes told. KEYS: data, lock. ARGV: bytes, ttl, base, member,
 * channel, message, tags….
 */
export const WRITE: LuaScript = script(`${TAG}
local ttl = tonumber(ARGV[2])
if ttl == 0 then
  redis.call('SET', KEYS[1], ARGV[1])
else
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ttl)
end
redis.call('DEL', KEYS[2])
tag(ARGV[3], ARGV[4], ttl, 7)
redis.call('PUBLISH', ARGV[5], ARGV[6])
return 1
`);

/** Deletes one entry and its lock, and tells the others. KEYS: data, lock. ARGV: channel, message. */
export const DELETE: LuaScript = script(`
redis.call('DEL', KEYS[1], KEYS[2])
redis.call('PUBLISH', ARGV[1], ARGV[2])
return 1
`);

/**
 * Deletes every entry of a tag (and their locks, so loads in flight do not store), and tells the
 * others. KEYS: tag set. ARGV: base, channel, message.
 */
export const DELETE_TAG: LuaScript = script(`
local members = redis.call('SMEMBERS', KEYS[1])
for _, member in ipairs(members) do
  redis.call('DEL', ARGV[1] .. 'd:' .. member, ARGV[1] .. 'l:' .. member)
end
redis.call('DEL', KEYS[1])
redis.call('PUBLISH', ARGV[2], ARGV[3])
return #members
`);

/** Every script, loaded into Redis on each (re)connection so that EVALSHA finds them. */
export const ALL_SCRIPTS: readonly LuaScript[] = [
  ACQUIRE,
  STORE,
  RELEASE,
  RENEW,
  WRITE,
  DELETE,
  DELETE_TAG,
];
