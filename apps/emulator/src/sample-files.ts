/** File-bearing content kinds a user can send through the control API. */
export const MEDIA_KINDS = [
  'photo',
  'sticker',
  'voice',
  'video',
  'document',
  'animation',
  'audio',
  'video_note',
] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];

/** One of the small real files in `assets/` that stand for what users send. */
export interface SampleFile {
  readonly name: string;
  readonly mimeType: string;
  readonly size: number;
}

const sample = (name: string, mimeType: string, size: number): SampleFile => ({
  name,
  mimeType,
  size,
});

/**
 * The files behind emulated media, per kind. A message's file_id names one of them, so the
 * playground can show the very picture or clip a bot relayed. Sizes are the files' own.
 */
export const SAMPLE_FILES: Readonly<Record<MediaKind, readonly SampleFile[]>> = {
  photo: [
    sample('photo-1.jpg', 'image/jpeg', 3_543),
    sample('photo-2.jpg', 'image/jpeg', 3_326),
    sample('photo-3.jpg', 'image/jpeg', 3_200),
  ],
  sticker: [sample('sticker.webp', 'image/webp', 4_148)],
  voice: [sample('voice.ogg', 'audio/ogg', 3_644)],
  video: [sample('video.mp4', 'video/mp4', 11_269)],
  document: [sample('document.pdf', 'application/pdf', 671)],
  animation: [sample('animation.mp4', 'video/mp4', 4_871)],
  audio: [sample('audio.mp3', 'audio/mpeg', 8_377)],
  video_note: [sample('video-note.mp4', 'video/mp4', 11_380)],
};

/** Where the sample files live: `apps/emulator/assets`, beside `src` and `dist`. */
export const ASSETS_DIR = new URL('../assets/', import.meta.url);
