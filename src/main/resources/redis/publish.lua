-- Numbers an event in its channel, keeps it in the channel's history and publishes it to every pod,
-- as one atomic step and one round trip.
-- KEYS[1] meta hash (epoch, seq)   KEYS[2] history stream   KEYS[3] (optional) SNS outbox stream
-- ARGV[1] envelope JSON   ARGV[2] channel   ARGV[3] history max length (0: no history)
-- ARGV[4] meta ttl ms     ARGV[5] history ttl ms   ARGV[6] pub/sub channel
-- ARGV[7..] (with KEYS[3]) the outbox entry's fields, as name, value pairs
-- Returns {epoch, seq}.
local epoch = epoch_of(KEYS[1], KEYS[2])
local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
redis.call('PEXPIRE', KEYS[1], ARGV[4])
local maxlen = tonumber(ARGV[3])
if maxlen > 0 then
  redis.call('XADD', KEYS[2], 'MAXLEN', '~', maxlen, seq .. '-0', 'e', ARGV[1], 't', now_ms())
  redis.call('PEXPIRE', KEYS[2], ARGV[5])
end
local offset = epoch .. ':' .. seq
-- The finished WebSocket frame travels in the message, so receiving pods write it as it is.
redis.call('PUBLISH', ARGV[6], offset .. '\n{"op":"event","channel":"' .. ARGV[2] .. '","offset":"' .. offset
  .. '","seq":' .. seq .. ',"event":' .. ARGV[1] .. '}')
if KEYS[3] then
  local entry = {}
  for i = 7, #ARGV do entry[#entry + 1] = ARGV[i] end
  entry[#entry + 1] = 'e'
  entry[#entry + 1] = ARGV[1]
  entry[#entry + 1] = 't'
  entry[#entry + 1] = now_ms()
  redis.call('XADD', KEYS[3], '*', unpack(entry))
end
return {epoch, seq}
