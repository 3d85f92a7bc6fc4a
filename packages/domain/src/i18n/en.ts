/**
 * Every user-facing string of hamdam in English. Placeholders are `{name}`; the Persian
 * catalogue has the same keys with the same placeholders (a test checks it).
 */
export const EN = {
  // Buttons of the reply keyboards: what a user taps arrives back as this text.
  'button.find': '🔍 Find a partner',
  'button.next': '⏭ Next',
  'button.stop': '⛔ Stop',
  'button.cancel': '✖ Cancel search',
  'button.settings': '⚙️ Settings',
  'button.help': 'ℹ️ Help',
  'button.report': '🚩 Report',

  welcome:
    'Welcome to hamdam: anonymous one-to-one chat.\n\n' +
    'Press “Find a partner” and you are paired with a stranger who fits your filters. Neither ' +
    "of you sees the other's name, username or id: the bot carries the messages.",
  help:
    'How it works:\n' +
    '• /find — look for a partner (or press the button)\n' +
    '• /next — end this chat and look for another partner\n' +
    '• /stop — end the chat or leave the queue\n' +
    '• /report — report your partner and end the chat\n' +
    '• /block — end the chat and never meet this partner again\n' +
    '• /settings — your profile and whom you want to meet\n' +
    '• /delete — erase your profile and the record of your chats\n\n' +
    'Text, photos, albums, videos, voice notes, stickers and files are passed on as copies, ' +
    'without your name. Replies and edits are mirrored. Contacts are not passed on.',
  helpAdmin:
    'Admin: /stats, /ban <id> [duration: 30m, 12h, 7d; none = permanent], /unban <id>, ' +
    '/broadcast <text> (or reply /broadcast to a message), /broadcast cancel.',

  'onboarding.language': 'Choose your language:',
  'onboarding.gender':
    'Are you a man or a woman? Your partner never sees this; only matchmaking uses it.',
  'onboarding.age': 'How old are you? Send your age as a number (13 to 99).',
  'onboarding.ageInvalid':
    'That is not an age I can use. Please send a number from 13 to 99, e.g. 27.',
  'onboarding.done':
    '✅ Your profile is saved. Press “Find a partner” to start, or /settings to change it.',

  searching: '🔎 Looking for a partner… You will be connected as soon as someone fits.',
  alreadySearching: '🔎 You are already in the queue. /stop to leave it.',
  matched: '✅ Partner found! Say hi. /next for another partner, /stop to end the chat.',
  alreadyChatting: 'You are already in a chat. /next for another partner, /stop to end it.',
  youEnded: 'You ended the chat. Press “Find a partner” to meet someone new.',
  partnerEnded: 'Your partner ended the chat. Press “Find a partner” to meet someone new.',
  partnerLeft: 'Your partner left the chat. Press “Find a partner” to meet someone new.',
  searchCancelled: 'Search cancelled.',
  notChatting: 'You are not in a chat. Press “Find a partner” to start one.',
  notDelivered: '⚠️ Your last message could not be delivered to your partner.',
  unknownCommand: 'Unknown command. /help lists what I understand.',
  contactRefused:
    '🔒 Contacts are not passed on: they would show your name and number. Your partner did not get it.',
  slowDown: '⏳ Slow down: your last messages were not delivered. Wait a moment, then go on.',
  floodAnswer: '⏳ Slow down, then try again.',
  partnerBehind:
    '⏳ Your partner has not received your last messages yet, so newer ones were dropped.',
  queueExpired:
    'You were taken out of the queue after a long wait. Press “Find a partner” to look again.',
  idleEnded:
    'The chat ended because nobody wrote for a while. Press “Find a partner” to meet someone new.',

  'report.ask': '🚩 The chat has ended. Why are you reporting your partner?',
  'report.thanks':
    'Thank you. The report was recorded; you will not be paired with this person again.',
  'report.nothing': 'There is nobody to report: you have not chatted with anyone recently.',
  'report.reason.spam': 'Spam or ads',
  'report.reason.abuse': 'Insults or harassment',
  'report.reason.sexual': 'Sexual content',
  'report.reason.minor': 'Seems to be a minor',
  'report.reason.other': 'Something else',
  'block.done':
    '🚫 Blocked: the chat has ended and you will never be paired with this person again.',
  'block.nothing': '/block works during a chat: it ends the chat and keeps you apart for good.',
  'erase.ask':
    'Erase your profile and the record of your chats? Reports and bans about you are kept ' +
    'while they count. This cannot be undone.',
  'erase.confirm': '🗑 Yes, erase my data',
  'erase.done': '🗑 Your profile and the record of your chats are erased.',
  banned: '⛔ You are banned from hamdam until {until} (UTC) after reports from other users.',
  bannedForever: '⛔ You are banned from hamdam.',
  bannedByAdmin: '⛔ An administrator has banned you from hamdam until {until} (UTC).',
  bannedForeverByAdmin: '⛔ An administrator has banned you from hamdam for good.',
  unbanned: 'Your ban has been lifted. Welcome back.',
  tryAgainShortly: '⚠️ That cannot be done right now. Please try again in a minute.',

  'settings.title': '⚙️ Settings',
  'settings.body':
    'Language: {lang}\nYou are: {gender}, {age}\nYou want to meet: {wants}, aged {range}\n' +
    'Language of partners: {xlang}\nProtect your media from forwarding and saving: {protect}\n\n' +
    'Only matchmaking uses this; your partner never sees it.',
  'settings.saved': 'Saved.',
  'settings.ageAsk': 'Send your new age as a number (13 to 99).',
  'settings.finishChatFirst': 'You can change this after the chat.',
  'settings.changeAge': '🎂 Change age',
  'settings.minorsFixed': 'Members under 18 meet only members under 18.',
  'settings.button.protectOn': '🔒 Protect my media',
  'settings.button.protectOff': '🔓 Stop protecting my media',
  'settings.button.sameLanguage': 'Only my language',
  'settings.button.anyLanguage': 'Any language',
  unknownButton: 'This button is no longer valid.',

  'value.lang.fa': 'فارسی',
  'value.lang.en': 'English',
  'value.gender.m': 'a man',
  'value.gender.f': 'a woman',
  'value.wants.m': 'men',
  'value.wants.f': 'women',
  'value.wants.any': 'anyone',
  'value.range': '{min}–{max}',
  'value.rangeOpen': '{min} or older',
  'value.xlang.same': 'only my language',
  'value.xlang.any': 'any language',
  'value.on': 'on',
  'value.off': 'off',
  'button.gender.m': 'I am a man',
  'button.gender.f': 'I am a woman',
  'button.wants.m': 'Meet men',
  'button.wants.f': 'Meet women',
  'button.wants.any': 'Meet anyone',

  'admin.stats':
    '📊 Right now: {online} online (last 5 minutes), {chatting} chatting, {queued} waiting.\n' +
    'Last minute: {matches} matches, {messages} messages.',
  'admin.usage':
    'Usage: /ban <user id> [30m | 12h | 7d], /unban <user id>, /broadcast <text>, /broadcast cancel.',
  'admin.bannedUntil': 'User {id} is banned until {until} (UTC).',
  'admin.bannedForever': 'User {id} is banned for good.',
  'admin.unbanned': 'User {id} is unbanned.',
  'admin.broadcastStarted': '📣 Broadcast started to {total} users.',
  'admin.broadcastProgress': '📣 Broadcast: {queued} of {total} queued, {failed} failed so far.',
  'admin.broadcastDone': '📣 Broadcast finished: {sent} delivered, {failed} not delivered.',
  'admin.broadcastBusy': 'A broadcast is already running (/broadcast cancel stops it).',
  'admin.broadcastCancelled':
    '📣 Broadcast cancelled: {sent} delivered, {failed} not delivered, {unsent} not sent.',
  'admin.broadcastNotRunning': 'No broadcast is running.',
  'admin.broadcastEmpty':
    'Write the text after /broadcast, or reply /broadcast to the message to send.',
  // The command menu Telegram clients show (setMyCommands): 1-256 characters each.
  'menu.find': 'Find a partner',
  'menu.next': 'End this chat and find another partner',
  'menu.stop': 'End the chat or leave the queue',
  'menu.report': 'Report your partner and end the chat',
  'menu.block': 'End the chat and never meet this partner again',
  'menu.settings': 'Your profile and whom you want to meet',
  'menu.delete': 'Erase your profile and chat records',
  'menu.help': 'How hamdam works',
  'menu.stats': 'Admin: who is online, chatting and waiting',
  'menu.ban': 'Admin: ban a user (/ban id [30m, 12h, 7d])',
  'menu.unban': 'Admin: lift a ban (/unban id)',
  'menu.broadcast': 'Admin: send a message to every user',
} as const;

export type TextKey = keyof typeof EN;
