-- Shared by the scripts (prepended when they are loaded).
-- The epoch of a channel's history, made when there is none: on first use, after expiry, or in a
-- Redis that lost its data. A new epoch empties the old stream, so offsets from an old life of the
-- history are never read as offsets in the new one.
local function epoch_of(meta, stream)
  local epoch = redis.call('HGET', meta, 'epoch')
  if not epoch then
    local t = redis.call('TIME')
    epoch = t[1] .. string.format('%06d', tonumber(t[2]))
    redis.call('HSET', meta, 'epoch', epoch)
    redis.call('DEL', stream)
  end
  return epoch
end

local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
