/**
 * The bot's commands. A text starting with `/` that is not one of them is an ordinary message:
 * relayed during a chat ("/etc/hosts is…"), answered "unknown command" otherwise. Admin
 * commands are commands only for configured admins.
 */
export const USER_COMMANDS = [
  'start',
  'find',
  'search',
  'next',
  'stop',
  'cancel',
  'settings',
  'help',
  'report',
  'block',
  'delete',
] as const;
export type UserCommand = (typeof USER_COMMANDS)[number];

export const ADMIN_COMMANDS = ['stats', 'ban', 'unban', 'broadcast'] as const;
export type AdminCommand = (typeof ADMIN_COMMANDS)[number];

/** The command a message's text starts with (`/name` or `/name@bot`), lower-cased, or null. */
export function commandOf(text: string, botUsername: string): string | null {
  const m = /^\/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]{1,64}))?(?:\s|$)/.exec(text);
  if (!m) return null;
  if (m[2] !== undefined && m[2].toLowerCase() !== botUsername.toLowerCase()) return null;
  return m[1]!.toLowerCase();
}

/**
 * A ban's length as admins write it (`30m`, `12h`, `7d`), in milliseconds; null when it is not
 * one. At most a year.
 */
export function parseDuration(text: string): number | null {
  const m = /^(\d{1,4})([mhd])$/.exec(text.trim());
  if (!m) return null;
  const ms = Number(m[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'm' | 'h' | 'd'];
  return ms > 0 && ms <= 366 * 86_400_000 ? ms : null;
}
