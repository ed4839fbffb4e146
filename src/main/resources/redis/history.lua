-- Where a channel stands and what it still keeps.
-- KEYS[1] meta hash   KEYS[2] history stream
-- ARGV[1] 'latest' (newest events), 'none' (position only) or a seq to read after
-- ARGV[2] most events to return   ARGV[3] history ttl ms   ARGV[4] meta ttl ms
-- Returns {epoch, top, oldest, entries}; entries as XRANGE gives them, oldest first except for 'latest'.
local epoch = epoch_of(KEYS[1], KEYS[2])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
local top = tonumber(redis.call('HGET', KEYS[1], 'seq') or '0')
local cutoff = now_ms() - tonumber(ARGV[3])
-- Drop events past their age from the head (bounded work per call), so 'oldest' is what a client
-- can really recover.
local oldest = top + 1
for _ = 1, 20 do
  local head = redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', 50)
  if #head == 0 then break end
  local fresh = nil
  for _, entry in ipairs(head) do
    if tonumber(entry[2][4]) >= cutoff then fresh = entry[1]; break end
  end
  if fresh then
    redis.call('XTRIM', KEYS[2], 'MINID', fresh)
    oldest = tonumber(string.match(fresh, '^(%d+)'))
    break
  end
  local last = tonumber(string.match(head[#head][1], '^(%d+)'))
  redis.call('XTRIM', KEYS[2], 'MINID', (last + 1) .. '-0')
end
local limit = tonumber(ARGV[2])
local entries = {}
if limit > 0 then
  if ARGV[1] == 'latest' then
    entries = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', limit)
  elseif ARGV[1] ~= 'none' then
    entries = redis.call('XRANGE', KEYS[2], '(' .. ARGV[1] .. '-0', '+', 'COUNT', limit)
  end
end
return {epoch, top, oldest, entries}
