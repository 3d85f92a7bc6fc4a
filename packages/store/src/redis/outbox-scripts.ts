import { REPLIES, type OutgoingMethod, type ReplyName } from '@hamdam/domain';
import { KEY } from './keys.js';
import { BASE } from './lua/base.js';
import { PRESS_STEP } from './lua/prelude.js';

/**
 * Replies to the user, in order. ARGV 6…: payloads. A reference asking for `kb=auto` gets the
 * keyboard of the user's state now, so a reply never swaps a chat's keyboard away. A first
 * payload that answers a button press (`@name?q=<query>`) names the press to answer even when
 * the user is over their flood budget.
 */
export const SAY = `${PRESS_STEP("(string.match(ARGV[6] or '', '^@%w+%?q=([^&]+)') or '')")}
local kb = kbOf(redis.call('HGET', uk, 'state'))
for i = 6, #ARGV do
  local payload = string.gsub(ARGV[i], 'kb=auto', 'kb=' .. kb)
  notice(me, payload)
end
return {'said'}
`;

/** Calls of the bot's own that Telegram's per-chat limit does not count, as Lua set entries. */
const UNPACED_METHODS = (
  ['answerCallbackQuery', 'editMessageText', 'editMessageReplyMarkup'] satisfies OutgoingMethod[]
)
  .map((method) => `['${method}'] = true`)
  .join(', ');

/** Catalogue replies that answer a button press (answerCallbackQuery), as Lua set entries. */
const ANSWERS = (Object.keys(REPLIES) as ReplyName[])
  .filter((name) => 'answer' in REPLIES[name] && REPLIES[name].answer)
  .map((name) => `['${name}'] = true`)
  .join(', ');

/**
 * The dispatcher's one round trip: acknowledge what was delivered (recording where each copy
 * landed, for replies and edits), then take what is due. ARGV 3: how many to take; 4: lease ms;
 * then per delivered entry: chat, entry id, the chat its copies came from ('' if none),
 * "source:copy,…" message ids ('' if none), and '1' when it did not reach the chat. Returns the next due time ('' when nothing is owed)
 * followed by chat, entry, language, resolved message id ('' if none) of each head leased.
 *
 * A chat's notices go before its copies. A copy's reply and an edit's target are resolved here,
 * when they are sent: by then the message they point at has been copied (a chat's entries go
 * out in order), so its copy's id is known. A reply to the partner's copy still being sent waits
 * for that send to settle (awaitTarget).
 */
export const SETTLE = `${BASE}
local limit = tonumber(ARGV[3])
local lease = tonumber(ARGV[4])
local ready = P .. '${KEY.ready}'
local mapTtl = C.messageMapMs
-- Where copies landed, one hash per pair of chats: "<chat>:<id>" -> "<other chat>:<id>", both ways.
local function mapKey(a, b)
  if tonumber(a) < tonumber(b) then return P .. '${KEY.messageMap}' .. a .. ':' .. b end
  return P .. '${KEY.messageMap}' .. b .. ':' .. a
end
for i = 5, #ARGV - 4, 5 do
  local chat, entry, from, pairs_, failed = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4]
  -- Only the head it names: a late acknowledgement of an entry sent again changes nothing.
  for _, kind in ipairs({'${KEY.notices}', '${KEY.copies}'}) do
    local key = P .. kind .. chat
    local head = redis.call('LINDEX', key, 0)
    if head and isEntry(head, entry) then
      redis.call('LPOP', key)
      stat('owed', -1)
      countBroadcast(head, failed == '1')
      break
    end
  end
  if from ~= '' and pairs_ ~= '' then
    local fields = {}
    for src, dst in string.gmatch(pairs_, '(%d+):(%d+)') do
      fields[#fields + 1] = from .. ':' .. src
      fields[#fields + 1] = chat .. ':' .. dst
      fields[#fields + 1] = chat .. ':' .. dst
      fields[#fields + 1] = from .. ':' .. src
    end
    local mk = mapKey(from, chat)
    redis.call('HSET', mk, unpack(fields))
    redis.call('PEXPIRE', mk, mapTtl)
  end
  if redis.call('LLEN', P .. '${KEY.notices}' .. chat) + redis.call('LLEN', P .. '${KEY.copies}' .. chat) == 0 then
    redis.call('ZREM', ready, chat)
  else
    redis.call('ZADD', ready, now, chat)
  end
end
local rate, burst = C.globalRatePerSec, C.globalBurst
if limit > 0 and rate > 0 then
  local b = redis.call('HMGET', P .. '${KEY.budget}', 'tokens', 'ts')
  local tokens = tonumber(b[1] or burst)
  local ts = tonumber(b[2] or now)
  tokens = math.min(burst, tokens + (now - ts) * rate / 1000)
  limit = math.min(limit, math.floor(tokens))
  redis.call('HSET', P .. '${KEY.budget}', 'tokens', tokens, 'ts', now)
end

-- Where a message's copy landed in this chat: the id, when the map says it went to this chat.
local function resolve(chat, from, id)
  if id == '' then return '' end
  local m = redis.call('HGET', mapKey(from, chat), from .. ':' .. id)
  if not m then return '' end
  local to, dst = string.match(m, '^(%-?%d+):(%d+)$')
  if to == chat then return dst end
  return ''
end

-- A reply whose target is not in the map yet, while a copy from this chat to the replier is
-- taken and not settled: that copy may be the target. Telegram shows a copy before its sender
-- hears back and records where it landed, so a partner can answer it first. The reply waits
-- for that settle (looked at again every REPLY_RETRY_MS), for at most one lease (its deadline
-- kept in rw:<chat>), then goes as a plain message. Returns when to look again, or nil: send.
local REPLY_RETRY_MS = 50
local function awaitTarget(chat, from, entry)
  local other = redis.call('LINDEX', P .. '${KEY.copies}' .. from, 0)
  if not other or string.match(other, '^#%d+ ~(%-?%d+)|') ~= chat then return nil end
  local wk = P .. '${KEY.replyWait}' .. chat
  local w = redis.call('GET', wk)
  local id, deadline
  if w then id, deadline = string.match(w, '^(%d+):(%d+)$') end
  if id == entry then
    deadline = tonumber(deadline)
    if deadline <= now then return nil end
  else
    deadline = now + lease
    redis.call('SET', wk, entry .. ':' .. int(deadline), 'PX', 2 * lease + 1000)
  end
  return math.min(deadline, now + REPLY_RETRY_MS)
end

-- Telegram's per-chat limit is on messages sent: answering a button press and the bot editing
-- its own message are not paced (onboarding answers would otherwise hold up the next reply).
local ANSWERS = {${ANSWERS}}
local UNPACED = {${UNPACED_METHODS}}
local function paced(head, isCopy)
  if isCopy then return true end
  local name = string.match(head, '^%d+ @(%w+)')
  if name then return not ANSWERS[name] end
  local method = string.match(head, '^%d+ {"method":"(%w+)"')
  return not (method and UNPACED[method])
end

local out = {''}
local taken = 0
if limit > 0 then
  local due = redis.call('ZRANGEBYSCORE', ready, '-inf', now, 'LIMIT', 0, limit)
  for _, chat in ipairs(due) do
    local copies = P .. '${KEY.copies}' .. chat
    local notices = P .. '${KEY.notices}' .. chat
    local head = redis.call('LINDEX', notices, 0)
    -- What a cancelled broadcast still owed is not sent.
    while head and liveBroadcast(head) == false do
      redis.call('LPOP', notices)
      stat('owed', -1)
      head = redis.call('LINDEX', notices, 0)
    end
    local isCopy = false
    if not head then
      -- A copy of an ended chat whose sender died before settling it is not sent again.
      dropEnded(chat)
      head = redis.call('LINDEX', copies, 0)
      isCopy = head ~= false and head ~= nil
    end
    local resolved = ''
    local wait = nil
    if not head then
      redis.call('ZREM', ready, chat)
    else
      -- What a sender is handed never carries the mark of having been taken before.
      if string.sub(head, 1, 1) == '#' then head = string.sub(head, 2) end
      -- An entry that does not read as its kind (a bug, or a foreign writer) is handed out as
      -- it is: the sender drops and counts it, and the chat's next entries follow it.
      local kind = string.match(head, '^%d+ (.)')
      if kind == '~' then
        local from, _, _, rep, _, gather = string.match(head, '^%d+ ~(%-?%d+)|([%d,]+)|([^|]*)|(%d*)|(1?)|(%d+)$')
        if gather and tonumber(gather) > now then wait = tonumber(gather)
        elseif gather then
          resolved = resolve(chat, from, rep)
          if resolved == '' and rep ~= '' then
            wait = awaitTarget(chat, from, string.match(head, '^(%d+)'))
          end
        end
      elseif kind == '^' then
        local from, id = string.match(head, '^%d+ %^(%-?%d+)|(%d+)|')
        if from then resolved = resolve(chat, from, id) end
      end
    end
    if wait then
      -- An album still gathering its parts, or a reply waiting for its target's copy.
      redis.call('ZADD', ready, wait, chat)
    elseif head then
      -- Per-chat pacing: a token bucket as one string, "tokens:ts".
      local pk = P .. '${KEY.pace}' .. chat
      local tokens, ts = C.chatBurst, now
      local counts = paced(head, isCopy)
      if counts then
        local pv = redis.call('GET', pk)
        if pv then
          local a, b = string.match(pv, '^([^:]*):([^:]*)$')
          if a then tokens, ts = tonumber(a), tonumber(b) end
        end
        tokens = math.min(C.chatBurst, tokens + (now - ts) * C.chatRatePerSec / 1000)
      end
      if tokens < 1 then
        redis.call('ZADD', ready, now + math.ceil((1 - tokens) * 1000 / C.chatRatePerSec), chat)
      else
        if counts then
          redis.call('SET', pk, (tokens - 1) .. ':' .. now, 'PX', math.ceil(C.chatBurst * 1000 / C.chatRatePerSec) + 1000)
        end
        redis.call('ZADD', ready, now + lease, chat)
        -- A copy taken by a sender is marked, so the end of its chat leaves it be.
        if isCopy then redis.call('LSET', copies, 0, '#' .. head) end
        out[#out + 1] = chat
        out[#out + 1] = head
        -- The language renders the bot's own replies; a copy has none to render.
        out[#out + 1] = isCopy and '' or (redis.call('HGET', ukey(chat), 'lang') or '')
        out[#out + 1] = resolved
        taken = taken + 1
      end
    end
  end
end
if rate > 0 and taken > 0 then redis.call('HINCRBYFLOAT', P .. '${KEY.budget}', 'tokens', -taken) end
local first = redis.call('ZRANGE', ready, 0, 0, 'WITHSCORES')
if first[2] then out[1] = first[2] end
return out
`;

/**
 * A send that failed for now: the head waits until ARGV 5 (epoch ms). ARGV 3: chat; 4: entry
 * id. A copy whose chat ended meanwhile ('%') is dropped instead; returns 2 then, else 1.
 */
export const DEFER = `${BASE}
for _, kind in ipairs({'${KEY.notices}', '${KEY.copies}'}) do
  local head = redis.call('LINDEX', P .. kind .. ARGV[3], 0)
  if head and isEntry(head, ARGV[4]) then
    redis.call('ZADD', P .. '${KEY.ready}', ARGV[5], ARGV[3])
    if kind == '${KEY.copies}' and dropEnded(ARGV[3]) then return 2 end
    return 1
  end
end
return 1
`;

/**
 * Keeps leases of entries still being sent (ARGV 3: lease ms; then chat, entry id pairs): a
 * slow call in flight is never handed to another sender; only a dead sender's lease runs out.
 */
export const RENEW = `${BASE}
local lease = tonumber(ARGV[3])
for i = 4, #ARGV - 1, 2 do
  local chat = ARGV[i]
  local head = redis.call('LINDEX', P .. '${KEY.notices}' .. chat, 0)
  if not head then head = redis.call('LINDEX', P .. '${KEY.copies}' .. chat, 0) end
  if head and isEntry(head, ARGV[i + 1]) then
    redis.call('ZADD', P .. '${KEY.ready}', now + lease, chat)
  end
end
return 1
`;
