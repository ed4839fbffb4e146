-- Numbers an event in its channel, keeps it in the channel's history and publishes it to every pod,
-- as one atomic step and one round trip.
-- KEYS[1] meta hash (epoch, seq)   KEYS[2] history stream
-- ARGV[1] envelope JSON   ARGV[2] channel   ARGV[3] history max length (0: no history)
-- ARGV[4] meta ttl ms     ARGV[5] history ttl ms   ARGV[6] pub/sub channel
-- Returns {epoch, seq}.
local epoch = redis.call('HGET', KEYS[1], 'epoch')
if not epoch then
  -- A new life of this channel's history (first use, expiry, or a Redis that lost its data):
  -- a new epoch, so offsets from the old life are never read as offsets in this one.
  local t = redis.call('TIME')
  epoch = t[1] .. string.format('%06d', tonumber(t[2]))
  redis.call('HSET', KEYS[1], 'epoch', epoch)
  redis.call('DEL', KEYS[2])
end
local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
redis.call('PEXPIRE', KEYS[1], ARGV[4])
local maxlen = tonumber(ARGV[3])
if maxlen > 0 then
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  redis.call('XADD', KEYS[2], 'MAXLEN', '~', maxlen, seq .. '-0', 'e', ARGV[1], 't', now)
  redis.call('PEXPIRE', KEYS[2], ARGV[5])
end
local offset = epoch .. ':' .. seq
-- The finished WebSocket frame travels in the message, so receiving pods write it as it is.
redis.call('PUBLISH', ARGV[6], offset .. '\n{"op":"event","channel":"' .. ARGV[2] .. '","offset":"' .. offset
  .. '","seq":' .. seq .. ',"event":' .. ARGV[1] .. '}')
return {epoch, seq}
