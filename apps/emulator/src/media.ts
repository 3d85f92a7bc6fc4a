import { randomBytes } from 'node:crypto';
import { MEDIA_KINDS, SAMPLE_FILES, type MediaKind, type SampleFile } from './sample-files.js';
import type {
  Animation,
  Audio,
  Document,
  PhotoSize,
  Sticker,
  Video,
  VideoNote,
  Voice,
} from '@hamdam/telegram';

// Real file_ids are base64url blobs whose first bytes encode the file type; bots
// sometimes sniff the prefix, so each kind keeps Telegram's.
const FILE_ID_PREFIX: Readonly<Record<MediaKind, string>> = {
  photo: 'AgACAgIAAxkBAAI',
  sticker: 'CAACAgIAAxkBAAI',
  voice: 'AwACAgIAAxkBAAI',
  video: 'BAACAgIAAxkBAAI',
  document: 'BQACAgIAAxkBAAI',
  animation: 'CgACAgIAAxkBAAI',
  audio: 'CQACAgIAAxkBAAI',
  video_note: 'DQACAgIAAxkBAAI',
};

interface FileIds {
  file_id: string;
  file_unique_id: string;
  file_size: number;
}

const PREFIX_LENGTH = 15;
const SALT_BYTES = 24;

/**
 * Cheap unique ids: a random per-process salt, a counter, the kind and which sample file it
 * stands for, base64url encoded. Decoding needs no table, so a long load test that sends
 * media keeps no state per file.
 */
export class FileIdFactory {
  readonly #salt = randomBytes(SALT_BYTES);
  #counter = 0;
  readonly #rotation = new Map<MediaKind, number>();

  /** Ids for the next upload of `kind`; uploads take turns among the kind's sample files. */
  next(kind: MediaKind): FileIds {
    return this.#mint(kind, this.#turn(kind));
  }

  #turn(kind: MediaKind): number {
    const turn = this.#rotation.get(kind) ?? 0;
    this.#rotation.set(kind, turn + 1);
    return turn % SAMPLE_FILES[kind].length;
  }

  #mint(kind: MediaKind, index: number): FileIds {
    const n = ++this.#counter;
    const buf = Buffer.alloc(32);
    this.#salt.copy(buf, 0);
    buf.writeUIntBE(n, SALT_BYTES, 5);
    buf.writeUInt8(index, 29);
    buf.writeUInt16BE(MEDIA_KINDS.indexOf(kind), 30);
    const unique = Buffer.alloc(10);
    this.#salt.copy(unique, 0, 0, 4);
    unique.writeUIntBE(n, 4, 6);
    return {
      file_id: FILE_ID_PREFIX[kind] + buf.toString('base64url'),
      file_unique_id: 'AQAD' + unique.toString('base64url'),
      file_size: SAMPLE_FILES[kind][index]?.size ?? 0,
    };
  }

  /** The sample file a file_id made by this factory stands for. */
  sampleOf(fileId: string): SampleFile | undefined {
    const buf = Buffer.from(fileId.slice(PREFIX_LENGTH), 'base64url');
    if (buf.length !== 32 || !buf.subarray(0, SALT_BYTES).equals(this.#salt)) return undefined;
    const kind = MEDIA_KINDS[buf.readUInt16BE(30)];
    if (kind === undefined || !fileId.startsWith(FILE_ID_PREFIX[kind])) return undefined;
    return SAMPLE_FILES[kind][buf.readUInt8(29)];
  }

  photo(): PhotoSize[] {
    // One upload yields several sizes, each with its own ids, largest last; all sizes of
    // one photo show the same sample.
    const index = this.#turn('photo');
    return [
      { ...this.#mint('photo', index), width: 90, height: 68 },
      { ...this.#mint('photo', index), width: 160, height: 120 },
      { ...this.#mint('photo', index), width: 320, height: 240 },
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
    };
  }

  voice(): Voice {
    return { ...this.next('voice'), duration: 2, mime_type: 'audio/ogg' };
  }

  video(): Video {
    return {
      ...this.next('video'),
      width: 240,
      height: 180,
      duration: 2,
      file_name: 'video.mp4',
      mime_type: 'video/mp4',
    };
  }

  document(): Document {
    return {
      ...this.next('document'),
      file_name: 'document.pdf',
      mime_type: 'application/pdf',
    };
  }

  /** Telegram sends an animation with the same file as a document beside it, for older clients. */
  animation(): { animation: Animation; document: Document } {
    const file = { ...this.next('animation'), file_name: 'animation.mp4', mime_type: 'video/mp4' };
    return { animation: { ...file, width: 160, height: 120, duration: 2 }, document: file };
  }

  audio(): Audio {
    return {
      ...this.next('audio'),
      duration: 2,
      performer: 'hamdam',
      title: 'Sample tune',
      file_name: 'tune.mp3',
      mime_type: 'audio/mpeg',
    };
  }

  videoNote(): VideoNote {
    return { ...this.next('video_note'), length: 200, duration: 2 };
  }
}
