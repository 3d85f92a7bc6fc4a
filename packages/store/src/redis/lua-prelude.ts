import { replyRef as r } from '@hamdam/domain';
import { KEY } from './keys.js';

/**
 * Shared head of every script. ARGV[1] is the key prefix; KEYS[1] is always the outbox
 * schedule, declared so a Cluster client routes the script to the prefix's slot.
 *
 * Redis does not roll a script back when it fails half-way, so each script reads and checks
 * everything before its first write.
 */
export const PRELUDE = `
local P = ARGV[1]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)

local function seen(queue, chat, upd)
  if upd == '' then return false end
  local k = P .. '${KEY.highWater}' .. queue .. ':' .. chat
  local hw = redis.call('GET', k)
  if hw and tonumber(upd) <= tonumber(hw) then return true end
  redis.call('SET', k, upd, 'EX', 90000)
  return false
end

local function push(chat, payload)
  local id = redis.call('INCR', P .. '${KEY.entrySeq}')
  redis.call('RPUSH', P .. '${KEY.outbox}' .. chat, id .. ' ' .. payload)
  redis.call('ZADD', P .. '${KEY.ready}', 'NX', now, chat)
end

local function endChat(me, reason, toMe, toPartner)
  local uk = P .. '${KEY.user}' .. me
  local f = redis.call('HMGET', uk, 'partner', 'chat', 'since', 'sent', 'uid')
  local partner = f[1]
  if not partner then
    redis.call('HSET', uk, 'state', 'idle')
    return ''
  end
  local pk = P .. '${KEY.user}' .. partner
  local g = redis.call('HMGET', pk, 'partner', 'sent', 'uid')
  redis.call('XADD', P .. '${KEY.journal}', 'MAXLEN', '~', 100000, '*', 'kind', 'chat-ended',
    'key', f[2] or '', 'a', me, 'b', partner, 'uidA', f[5] or '', 'uidB', g[3] or '',
    'since', f[3] or now, 'at', now, 'reason', reason, 'sa', f[4] or 0, 'sb', g[2] or 0)
  redis.call('HSET', uk, 'state', 'idle')
  redis.call('HDEL', uk, 'partner', 'chat', 'since', 'sent')
  if g[1] == me then
    redis.call('HSET', pk, 'state', 'idle')
    redis.call('HDEL', pk, 'partner', 'chat', 'since', 'sent')
  end
  if toMe then push(me, toMe) end
  if toPartner then push(partner, toPartner) end
  return partner
end

local function leaveQueue(me)
  local uk = P .. '${KEY.user}' .. me
  local qb = redis.call('HGET', uk, 'qbucket')
  if qb then redis.call('ZREM', P .. '${KEY.queue}' .. qb, me) end
  redis.call('HSET', uk, 'state', 'idle')
  redis.call('HDEL', uk, 'qbucket', 'since')
end
`;

/** A reply name as a Lua string literal, checked against the catalogue at compile time. */
export const say = (name: Parameters<typeof r>[0]): string => `'${r(name)}'`;
