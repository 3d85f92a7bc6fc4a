/** What the bot says. One place, so wording and buttons stay consistent. */
export const BUTTONS = {
  find: '🔍 Find a partner',
  next: '⏭ Next',
  stop: '⛔ Stop',
  cancel: '✖ Cancel search',
  settings: '⚙️ Settings',
  help: 'ℹ️ Help',
} as const;

export const TEXTS = {
  welcome:
    'Welcome to hamdam: anonymous one-to-one chat.\n\n' +
    'Press “Find a partner” and you are paired with a stranger. Neither of you sees the ' +
    "other's name, username or id: the bot carries the messages.\n\n" +
    '/find to look for a partner, /next to skip, /stop to end a chat, /help for more.',
  help:
    'How it works:\n' +
    '• /find — look for a partner (or press the button)\n' +
    '• /next — end this chat and look for another partner\n' +
    '• /stop — end the chat or leave the queue\n' +
    '• /settings — who you are and whom you want to meet\n\n' +
    'Text, photos, videos, voice notes, stickers and files are passed on as copies, without ' +
    'your name.',
  searching: '🔎 Looking for a partner… You will be connected as soon as someone fits.',
  alreadySearching: '🔎 You are already in the queue. /stop to leave it.',
  matched: '✅ Partner found! Say hi. /next for another partner, /stop to end the chat.',
  alreadyChatting: 'You are already in a chat. /next for another partner, /stop to end it.',
  youEnded: 'You ended the chat. Press “Find a partner” to meet someone new.',
  partnerEnded: 'Your partner ended the chat. Press “Find a partner” to meet someone new.',
  partnerLeft: 'Your partner left the chat. Press “Find a partner” to meet someone new.',
  searchCancelled: 'Search cancelled.',
  notChatting: 'You are not in a chat. Press “Find a partner” to start one.',
  unsupported: 'This kind of message cannot be passed on.',
  notDelivered: '⚠️ Your last message could not be delivered to your partner.',
  unknownCommand: 'Unknown command. /help lists what I understand.',
  settingsSaved: 'Saved.',
  unknownButton: 'This button is no longer valid.',
} as const;
