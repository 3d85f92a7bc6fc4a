import { KEY } from './keys.js';
import { say } from './lua/base.js';
import { FIND_STEP, MESSAGE_STEP, USER_STEP, USER_STEP_EVEN_BANNED } from './lua/prelude.js';

/**
 * /start. ARGV 6: the language Telegram suggests. Onboarding's next question, or a welcome.
 * Journaled: a user who blocked the bot and comes back starts it again, and is reachable.
 */
export const START = `${USER_STEP}
journal('kind', 'started', 'chat', me)
if not redis.call('HGET', uk, 'lang') then redis.call('HSET', uk, 'lang', ARGV[6]) end
local p = profileOf(me)
local field = missing(p)
if field then
  ask(me, p, field)
  return {'onboarding'}
end
notice(me, ${say('welcome')} .. '?kb=' .. kbOf(redis.call('HGET', uk, 'state')))
return {'welcome'}
`;

/**
 * Find (or /next with ARGV 6 = 1). ARGV 7: the language Telegram suggests. Before onboarding
 * ends, Find starts it and runs when it ends.
 */
export const FIND = `${FIND_STEP}
local state = redis.call('HGET', uk, 'state')
local ended, dropped = '', 0
if state == 'chatting' then
  if ARGV[6] ~= '1' then notice(me, ${say('alreadyChatting')}) return {'already-chatting'} end
  ended, dropped = endChat(me, 'next', false, ${say('partnerEnded')})
elseif state == 'queued' then
  timer('qx', me, now + C.queueIdleMs)
  notice(me, ${say('alreadySearching')})
  return {'already-queued'}
end
if not redis.call('HGET', uk, 'lang') then redis.call('HSET', uk, 'lang', ARGV[7]) end
local p = profileOf(me)
local field = missing(p)
if field then
  redis.call('HSET', uk, 'pend', '1')
  ask(me, p, field)
  return {'onboarding', ended, dropped}
end
local kind, partner, waited = matchOrQueue(me, p)
if kind == 'matched' then return {'matched', ended, dropped, partner, waited} end
notice(me, ${say('searching')})
return {'queued', ended, dropped}
`;

/** /stop: ends the chat or leaves the queue. */
export const STOP = `${USER_STEP}
local state = redis.call('HGET', uk, 'state')
if state == 'chatting' then
  local partner, dropped = endChat(me, 'stop', ${say('youEnded')}, ${say('partnerEnded')})
  return {'ended', partner, dropped}
elseif state == 'queued' then
  leaveQueue(me)
  notice(me, ${say('searchCancelled')})
  return {'left-queue'}
end
redis.call('HDEL', uk, 'pend')
notice(me, ${say('notChatting')})
return {'idle'}
`;

/**
 * A message. ARGV 6: its id; 7: media group ('' if none); 8: the id it replies to ('' if
 * none); 9: as an age, when it could be an answer ('' not text, 'bad', or the age); 10: '1'
 * when it reads as an unknown command; 11: '1' when it must not be passed on (a contact).
 * During a chat it becomes a copy for the partner: the partner's outbox cap first, an album's
 * parts gathered into one entry, a reply resolved when it is sent. Flood control is the head's.
 */
export const RELAY = `${MESSAGE_STEP}
local u = redis.call('HMGET', uk, 'state', 'partner', 'ask', 'prot')
local state = u[1]
if u[3] and ARGV[9] ~= '' and state ~= 'chatting' then
  if ARGV[9] == 'bad' then notice(me, ${say('ageInvalid')}) return {'asked'} end
  applyChange(me, 'age', ARGV[9])
  if u[3] == 'age' then return {afterChange(me, true)} end
  notice(me, ${say('ageSaved')} .. '?kb=' .. kbOf(state))
  return {afterChange(me, false)}
end
if state ~= 'chatting' then
  -- An album outside a chat is answered once, for its first part.
  if f.later then return {'not-chatting'} end
  local p = profileOf(me)
  local field = missing(p)
  if ARGV[10] == '1' then notice(me, ${say('unknownCommand')} .. '?kb=' .. kbOf(state))
  elseif field then ask(me, p, field) return {'onboarding'}
  elseif state == 'queued' then notice(me, ${say('alreadySearching')})
  else notice(me, ${say('notChatting')}) end
  return {'not-chatting'}
end
if ARGV[11] == '1' then
  notice(me, ${say('contactRefused')})
  return {'refused'}
end
local partner = u[2]
local ck = P .. '${KEY.copies}' .. partner
local msg, group, replyTo, prot = ARGV[6], ARGV[7], ARGV[8], u[4] or ''
-- The parts of an album arrive one update each: they join one copyMessages entry that waits
-- albumWaitMs after its latest part. A part that finds the entry already due (maybe being sent)
-- starts a new one. A part that joins takes no room of the outbox cap: the album is one entry.
local gather = nil
if group ~= '' then
  local tail = redis.call('LINDEX', ck, -1)
  if tail then
    local id, from, ids, g, rep, pr, due = string.match(tail, '^(%d+) ~([^|]*)|([^|]*)|([^|]*)|([^|]*)|([^|]*)|(%d+)$')
    if g == group and from == me and tonumber(due) > now then
      gather = id .. ' ~' .. me .. '|' .. ids .. ',' .. msg .. '|' .. g .. '|' .. rep .. '|' .. pr .. '|' .. int(now + C.albumWaitMs)
    end
  end
end
if not gather and capped(me, f, partner) then return {'capped'} end
if gather then
  redis.call('LSET', ck, -1, gather)
else
  local due = group ~= '' and int(now + C.albumWaitMs) or '0'
  copy(partner, '~' .. me .. '|' .. msg .. '|' .. group .. '|' .. replyTo .. '|' .. prot .. '|' .. due)
end
redis.call('HINCRBY', uk, 'sent', 1)
stat('messages', 1)
timer('ix', pairTimer(me, partner), now + C.idleChatMs)
return {'relayed', partner}
`;

/**
 * An edited message (ARGV 6: its id; 7: the edit call's JSON, without chat or message id). The
 * partner's copy is edited too: which copy is resolved when the edit is sent, so an edit of a
 * message whose copy is still queued follows it. An edit is one more entry for the partner, so
 * it obeys the outbox cap like a new message.
 */
export const EDIT = `${USER_STEP}
local u = redis.call('HMGET', uk, 'state', 'partner')
if u[1] ~= 'chatting' then return {'not-chatting'} end
if capped(me, f, u[2]) then return {'capped'} end
copy(u[2], '^' .. me .. '|' .. ARGV[6] .. '|' .. ARGV[7])
stat('edits', 1)
return {'relayed', u[2]}
`;

/**
 * The user blocked the bot (a 403 on send, or a my_chat_member update): ends their chat or
 * queue place, tells the partner, and discards everything still owed to them.
 */
export const BOT_BLOCKED = `${USER_STEP_EVEN_BANNED}
local state = redis.call('HGET', uk, 'state')
local result = {'idle'}
if state == 'chatting' then
  local partner, dropped = endChat(me, 'blocked', false, ${say('partnerLeft')})
  result = {'ended', partner, dropped}
elseif state == 'queued' then
  leaveQueue(me)
  result = {'left-queue'}
end
redis.call('HDEL', uk, 'pend', 'ask')
dropNotices(me)
dropCopies(me)
-- A copy a sender took stays until that attempt settles; should the sender die, the chat must
-- stay scheduled, so the copy (an edit's text, say) is dropped when its lease runs out.
if redis.call('LLEN', P .. '${KEY.copies}' .. me) == 0 then redis.call('ZREM', P .. '${KEY.ready}', me) end
journal('kind', 'bot-blocked', 'chat', me)
return result
`;
