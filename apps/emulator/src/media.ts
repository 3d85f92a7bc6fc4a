import { randomBytes } from 'node:crypto';
import type { Document, PhotoSize, Sticker, Video, Voice } from './telegram-types.js';

/** Content kinds a user can send through the control API. */
export const MEDIA_KINDS = ['photo', 'sticker', 'voice', 'video', 'document'] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];

// Real file_ids are base64url blobs whose first bytes encode the file type; bots
// sometimes sniff the prefix, so each kind keeps Telegram's.
const FILE_ID_PREFIX: Readonly<Record<MediaKind, string>> = {
  photo: 'AgACAgIAAxkBAAI',
  sticker: 'CAACAgIAAxkBAAI',
  voice: 'AwACAgIAAxkBAAI',
  video: 'BAACAgIAAxkBAAI',
  document: 'BQACAgIAAxkBAAI',
};

/** Cheap unique ids: a random per-process salt plus a counter, base64url encoded. */
export class FileIdFactory {
  readonly #salt = randomBytes(24);
  #counter = 0;

  next(kind: MediaKind): { file_id: string; file_unique_id: string } {
    const n = ++this.#counter;
    const buf = Buffer.alloc(32);
    this.#salt.copy(buf, 0);
    buf.writeUIntBE(n, 24, 6);
    buf.writeUInt16BE(MEDIA_KINDS.indexOf(kind), 30);
    const unique = Buffer.alloc(10);
    this.#salt.copy(unique, 0, 0, 4);
    unique.writeUIntBE(n, 4, 6);
    return {
      file_id: FILE_ID_PREFIX[kind] + buf.toString('base64url'),
      file_unique_id: 'AQAD' + unique.toString('base64url'),
    };
  }

  photo(): PhotoSize[] {
    // One upload yields several sizes, each with its own ids, largest last.
    return [
      { ...this.next('photo'), width: 90, height: 67, file_size: 1_245 },
      { ...this.next('photo'), width: 320, height: 240, file_size: 16_734 },
      { ...this.next('photo'), width: 1280, height: 960, file_size: 118_203 },
    ];
  }

  sticker(): Sticker {
    return {
      ...this.next('sticker'),
      type: 'regular',
      width: 512,
      height: 512,
      is_animated: false,
      is_video: false,
      emoji: '🙂',
      file_size: 24_310,
    };
  }

  voice(): Voice {
    return { ...this.next('voice'), duration: 3, mime_type: 'audio/ogg', file_size: 9_812 };
  }

  video(): Video {
    return {
      ...this.next('video'),
      width: 640,
      height: 360,
      duration: 5,
      mime_type: 'video/mp4',
      file_size: 412_551,
    };
  }

  document(): Document {
    return {
      ...this.next('document'),
      file_name: 'document.pdf',
      mime_type: 'application/pdf',
      file_size: 53_190,
    };
  }
}
