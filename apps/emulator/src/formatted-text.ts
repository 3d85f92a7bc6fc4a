import type { ParseMode } from '@hamdam/telegram';
import { badRequest, type ApiError } from './api-error.js';
import type { Params } from './params.js';

// Telegram reads parse_mode case-insensitively.
const PARSE_MODES: Readonly<Record<string, ParseMode>> = {
  html: 'HTML',
  markdownv2: 'MarkdownV2',
  markdown: 'Markdown',
} satisfies Record<Lowercase<ParseMode>, ParseMode>;
const HTML_TAGS = new Set([
  'b',
  'strong',
  'i',
  'em',
  'u',
  'ins',
  's',
  'strike',
  'del',
  'span',
  'tg-spoiler',
  'a',
  'code',
  'pre',
  'blockquote',
  'tg-emoji',
]);
const HTML_ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"' };
const MARKDOWN_V2_RESERVED = new Set('_*[]()~`>#+-=|{}.!');
const V2_ENTITY_NAMES: Readonly<Record<string, string>> = {
  '*': 'Bold',
  _: 'Italic',
  __: 'Underline',
  '~': 'Strikethrough',
  '||': 'Spoiler',
};

export function readParseMode(params: Params, name = 'parse_mode'): ParseMode | undefined {
  const value = params.optionalString(name);
  if (value === undefined || value === '') return undefined;
  const mode = PARSE_MODES[value.toLowerCase()];
  if (mode === undefined) throw badRequest(`unsupported parse_mode`);
  return mode;
}

/**
 * Turns formatted text into the plain text Telegram would store, rejecting
 * markup that Telegram rejects ("can't parse entities"), which is the most
 * common way a bot's formatted message fails in production. Entities
 * themselves are not reported back; the emulator only shows plain text.
 */
export function renderFormattedText(text: string, mode: ParseMode | undefined): string {
  if (mode === 'HTML') return renderHtml(text);
  if (mode === 'MarkdownV2') return renderMarkdownV2(text);
  if (mode === 'Markdown') return renderMarkdown(text);
  return text;
}

function parseError(reason: string): ApiError {
  return badRequest(`can't parse entities: ${reason}`);
}

function renderHtml(text: string): string {
  const open: string[] = [];
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '<') {
      const end = text.indexOf('>', i);
      if (end === -1) throw parseError(`Can't find end of the tag starting at byte offset ${i}`);
      const body = text.slice(i + 1, end).trim();
      if (body.startsWith('/')) {
        const name = body.slice(1).trim().toLowerCase();
        const expected = open.pop();
        if (expected === undefined || (name !== '' && name !== expected)) {
          throw parseError(
            `Unmatched end tag at byte offset ${i}, expected "</${expected ?? ''}>", found "</${name}>"`,
          );
        }
      } else {
        const name = (body.split(/\s/, 1)[0] ?? '').toLowerCase();
        if (!HTML_TAGS.has(name))
          throw parseError(`Unsupported start tag "${name}" at byte offset ${i}`);
        open.push(name);
      }
      i = end + 1;
    } else if (ch === '&') {
      const semi = text.indexOf(';', i);
      const decoded =
        semi === -1 || semi - i > 10 ? undefined : decodeEntity(text.slice(i + 1, semi));
      if (decoded === undefined) {
        out += '&';
        i++;
      } else {
        out += decoded;
        i = semi + 1;
      }
    } else {
      out += ch;
      i++;
    }
  }
  const unclosed = open.pop();
  if (unclosed !== undefined)
    throw parseError(`Can't find end tag corresponding to start tag "${unclosed}"`);
  return out;
}

function decodeEntity(name: string): string | undefined {
  const named = HTML_ENTITIES[name];
  if (named !== undefined) return named;
  const match = /^#(x[0-9a-f]{1,6}|[0-9]{1,7})$/i.exec(name);
  if (match?.[1] === undefined) return undefined;
  const digits = match[1];
  const code =
    digits[0] === 'x' || digits[0] === 'X' ? parseInt(digits.slice(1), 16) : parseInt(digits, 10);
  return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : undefined;
}

function renderMarkdownV2(text: string): string {
  const open: { marker: string; offset: number }[] = [];
  let out = '';
  let i = 0;
  let lineStart = true;
  while (i < text.length) {
    const ch = text[i] ?? '';
    const top = open.at(-1);
    const inCode = top?.marker === '`' || top?.marker === '```';
    if (ch === '\\') {
      const next = text[i + 1];
      if (next === undefined)
        throw parseError(`Character '\\' is reserved and must be escaped with the preceding '\\'`);
      out += next;
      i += 2;
    } else if (inCode) {
      if (text.startsWith(top.marker, i)) {
        open.pop();
        i += top.marker.length;
      } else {
        out += ch;
        i++;
      }
    } else if (ch === '`') {
      const marker = text.startsWith('```', i) ? '```' : '`';
      open.push({ marker, offset: i });
      i += marker.length;
    } else if (ch === '*' || ch === '_' || ch === '~' || (ch === '|' && text[i + 1] === '|')) {
      const marker = (ch === '_' && text[i + 1] === '_') || ch === '|' ? ch + ch : ch;
      if (top?.marker === marker) open.pop();
      else if (open.some((entry) => entry.marker === marker)) {
        throw parseError(
          `Can't find end of ${V2_ENTITY_NAMES[marker] ?? 'the'} entity at byte offset ${i}`,
        );
      } else open.push({ marker, offset: i });
      i += marker.length;
    } else if (ch === '[') {
      open.push({ marker: '[', offset: i });
      i++;
    } else if (ch === ']' && top?.marker === '[') {
      open.pop();
      i++;
      if (text[i] === '(') {
        const close = findUnescaped(text, ')', i + 1);
        if (close === -1) throw parseError(`Can't find end of a url at byte offset ${i}`);
        i = close + 1;
      }
    } else if (ch === '>' && lineStart) {
      i++;
    } else if (MARKDOWN_V2_RESERVED.has(ch)) {
      throw parseError(`Character '${ch}' is reserved and must be escaped with the preceding '\\'`);
    } else {
      out += ch;
      i++;
    }
    lineStart = ch === '\n';
  }
  const unclosed = open.pop();
  if (unclosed !== undefined) {
    const name = V2_ENTITY_NAMES[unclosed.marker] ?? (unclosed.marker === '[' ? 'TextUrl' : 'Code');
    throw parseError(`Can't find end of ${name} entity at byte offset ${unclosed.offset}`);
  }
  return out;
}

function findUnescaped(text: string, target: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === target) return i;
  }
  return -1;
}

/** Legacy Markdown: *bold*, _italic_, `code`, ```pre```, [text](url); no nesting. */
function renderMarkdown(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i] ?? '';
    if (ch === '\\' && i + 1 < text.length && '_*`['.includes(text[i + 1] ?? '')) {
      out += text[i + 1];
      i += 2;
    } else if (ch === '*' || ch === '_' || ch === '`') {
      const marker = ch === '`' && text.startsWith('```', i) ? '```' : ch;
      const end = text.indexOf(marker, i + marker.length);
      if (end === -1) throw parseError(`Can't find end of the entity starting at byte offset ${i}`);
      out += text.slice(i + marker.length, end);
      i = end + marker.length;
    } else if (ch === '[') {
      const close = text.indexOf(']', i);
      if (close === -1)
        throw parseError(`Can't find end of the entity starting at byte offset ${i}`);
      out += text.slice(i + 1, close);
      i = close + 1;
      if (text[i] === '(') {
        const end = text.indexOf(')', i);
        if (end === -1) throw parseError(`Can't find end of a url at byte offset ${i}`);
        i = end + 1;
      }
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}
