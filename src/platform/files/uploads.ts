import { sha256Hex } from '../crypto/sha256.ts';

/**
 * Files people upload on the public pages (a complaint's attachments, the photos of a family's
 * report, the operator's logo): the type is decided by the content (magic bytes), checked against
 * what the browser or the file name declares, and photos can have their metadata (EXIF with GPS
 * position, camera serial, XMP, IPTC, comments, embedded thumbnails) removed without any image library.
 */

export type DetectedType = 'image/jpeg' | 'image/png' | 'application/pdf' | 'audio/mpeg' | 'audio/ogg' | 'audio/wav' | 'audio/mp4' | 'audio/amr' | 'audio/webm';

const ascii = (bytes: Uint8Array, start: number, end: number) => Buffer.from(bytes.subarray(start, end)).toString('latin1');

export function detectType(b: Uint8Array): DetectedType | null {
  if (b.length < 4) return null;
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 8 && Buffer.from(b.subarray(0, 8)).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (ascii(b, 0, 5) === '%PDF-') return 'application/pdf';
  if (ascii(b, 0, 4) === 'OggS') return 'audio/ogg';
  if (ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WAVE') return 'audio/wav';
  if (ascii(b, 0, 5) === '#!AMR') return 'audio/amr';
  if (b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3) return 'audio/webm';
  if (ascii(b, 4, 8) === 'ftyp' && /^(M4A |M4B |mp4[12]|isom|iso[2-6]|3gp[4-7]|3g2[abc]|dash|qt  |aax )$/.test(ascii(b, 8, 12))) return 'audio/mp4';
  if (ascii(b, 0, 3) === 'ID3') return 'audio/mpeg';
  if (b[0] === 0xff && ((b[1] ?? 0) & 0xe0) === 0xe0 && ((b[1] ?? 0) & 0x06) !== 0) return 'audio/mpeg';
  return null;
}

const extensionTypes: Record<string, string> = {
  jpg: 'image/jpeg', jpeg: 'image/jpeg', jfif: 'image/jpeg', png: 'image/png', pdf: 'application/pdf',
  mp3: 'audio/mpeg', ogg: 'audio/ogg', oga: 'audio/ogg', opus: 'audio/ogg', wav: 'audio/wav', m4a: 'audio/mp4',
  aac: 'audio/mp4', mp4: 'audio/mp4', '3gp': 'audio/mp4', amr: 'audio/amr', webm: 'audio/webm', weba: 'audio/webm',
};

type AudioType = Extract<DetectedType, `audio/${string}`>;
/** How a form names each kind of audio it takes (a new audio type in detectType must be named here). */
const AUDIO_NAMES: Record<AudioType, string> = { 'audio/mpeg': 'MP3', 'audio/ogg': 'OGG/Opus', 'audio/wav': 'WAV', 'audio/mp4': 'M4A', 'audio/amr': 'AMR', 'audio/webm': 'WebM' };

/**
 * What a public form with files promises, from the same lists the content check uses: its `accept`
 * attribute (the types and their usual file names, since phones label audio inconsistently) and the
 * audio formats its hint names. The complaint form offers exactly what checkFile lets in.
 */
export const ACCEPTED_UPLOADS = {
  accept: [...new Set(Object.values(extensionTypes)), ...Object.keys(extensionTypes).map((e) => `.${e}`)].join(','),
  audioNames: Object.values(AUDIO_NAMES).join(', '),
};

/** The family a declared type belongs to: every audio container counts as "audio" (phones label them inconsistently). */
function family(mediaType: string): string {
  if (mediaType.startsWith('audio/') || mediaType === 'video/3gpp' || mediaType === 'video/mp4' || mediaType === 'video/webm' || mediaType === 'application/ogg') return 'audio';
  if (mediaType === 'image/jpg' || mediaType === 'image/pjpeg') return 'image/jpeg';
  return mediaType;
}

export type FileCheck =
  | { ok: true; mediaType: DetectedType }
  | { ok: false; reason: 'not_allowed' | 'mismatch' | 'empty' | 'too_large' };

/**
 * Accepts a file when its content is of an allowed type and agrees with the declared type (the
 * browser's, or else the file name's extension). A generic declaration (octet-stream) defers to the
 * extension; with neither, the content decides.
 */
export function checkFile(input: { bytes: Uint8Array; declaredType: string | undefined; filename: string; maxBytes: number }): FileCheck {
  if (input.bytes.length === 0) return { ok: false, reason: 'empty' };
  if (input.bytes.length > input.maxBytes) return { ok: false, reason: 'too_large' };
  const detected = detectType(input.bytes);
  const declared = (input.declaredType ?? '').split(';')[0]!.trim().toLowerCase();
  const extension = /\.([a-z0-9]{1,5})$/i.exec(input.filename)?.[1]?.toLowerCase();
  const claimed = declared && declared !== 'application/octet-stream' ? declared : extension ? extensionTypes[extension] : undefined;
  // Unrecognised content: "does not match its type" only when the type claimed is one we take (a FLAC is simply not allowed).
  if (!detected) return { ok: false, reason: claimed && Object.values(extensionTypes).includes(claimed) ? 'mismatch' : 'not_allowed' };
  if (claimed && family(claimed) !== family(detected)) {
    const allowedClaim = Object.values(extensionTypes).some((t) => family(t) === family(claimed));
    return { ok: false, reason: allowedClaim ? 'mismatch' : 'not_allowed' };
  }
  return { ok: true, mediaType: detected };
}

export type Stripped = { bytes: Buffer; removed: string[] };

/**
 * Removes from a JPEG every segment that can identify a person or a place: APP1 (EXIF, with GPS, and
 * XMP), APP3-APP13 (IPTC, Photoshop), APP15, comments, the multi-picture APP2 and anything after
 * the end of the image (where phones append previews with their own EXIF). Keeps JFIF (APP0), ICC
 * colour profiles (APP2) and Adobe (APP14, which decoders need for the colour transform).
 * Throws on a file that does not parse: it is refused rather than stored with its metadata.
 */
export function stripJpeg(input: Uint8Array): Stripped {
  const b = Buffer.from(input);
  if (b[0] !== 0xff || b[1] !== 0xd8) throw new Error('not a JPEG');
  const out: Buffer[] = [b.subarray(0, 2)];
  const removed = new Set<string>();
  let i = 2;
  while (i < b.length) {
    if (b[i] !== 0xff) throw new Error('malformed JPEG');
    while (b[i] === 0xff && i < b.length) i++; // fill bytes
    const marker = b[i];
    if (marker === undefined) throw new Error('truncated JPEG');
    const markerStart = i - 1;
    i++;
    if (marker === 0xd9) {
      out.push(Buffer.from([0xff, 0xd9]));
      if (i < b.length) removed.add('trailing data');
      return { bytes: Buffer.concat(out), removed: [...removed] };
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      out.push(Buffer.from([0xff, marker]));
      continue;
    }
    if (i + 2 > b.length) throw new Error('truncated JPEG');
    const length = b.readUInt16BE(i);
    if (length < 2 || i + length > b.length) throw new Error('truncated JPEG');
    const segmentEnd = i + length;
    const payload = b.subarray(i + 2, segmentEnd);
    let drop = false;
    if (marker === 0xe1) {
      drop = true;
      removed.add(payload.subarray(0, 4).toString('latin1') === 'Exif' ? 'EXIF' : 'XMP');
    } else if (marker === 0xe2) {
      if (payload.subarray(0, 4).toString('latin1') === 'MPF\0') {
        drop = true;
        removed.add('MPF');
      }
    } else if ((marker >= 0xe3 && marker <= 0xed) || marker === 0xef) {
      drop = true;
      removed.add(`APP${marker - 0xe0}`);
    } else if (marker === 0xfe) {
      drop = true;
      removed.add('comment');
    }
    if (!drop) out.push(b.subarray(markerStart, segmentEnd));
    i = segmentEnd;
    if (marker === 0xda) {
      // Entropy-coded data runs until a marker other than a stuffed 0xFF00 or a restart marker.
      const start = i;
      while (i < b.length) {
        if (b[i] === 0xff) {
          const next = b[i + 1];
          if (next === undefined) throw new Error('truncated JPEG');
          if (next === 0x00 || (next >= 0xd0 && next <= 0xd7) || next === 0xff) {
            i += next === 0xff ? 1 : 2;
            continue;
          }
          break;
        }
        i++;
      }
      out.push(b.subarray(start, i));
    }
  }
  throw new Error('JPEG without end marker');
}

const PNG_DROPPED = new Set(['tEXt', 'zTXt', 'iTXt', 'eXIf', 'tIME']);

/** Removes text chunks (which can hold anything), EXIF and the modification time from a PNG. */
export function stripPng(input: Uint8Array): Stripped {
  const b = Buffer.from(input);
  const out: Buffer[] = [b.subarray(0, 8)];
  const removed = new Set<string>();
  let i = 8;
  while (i + 12 <= b.length) {
    const length = b.readUInt32BE(i);
    const type = b.subarray(i + 4, i + 8).toString('latin1');
    const end = i + 12 + length;
    if (end > b.length) throw new Error('truncated PNG');
    if (PNG_DROPPED.has(type)) removed.add(type);
    else out.push(b.subarray(i, end));
    i = end;
    if (type === 'IEND') {
      if (i < b.length) removed.add('trailing data');
      return { bytes: Buffer.concat(out), removed: [...removed] };
    }
  }
  throw new Error('PNG without IEND');
}

/** Strips what can be stripped; other types are stored as received (the person is told). */
export function stripMetadata(mediaType: DetectedType, bytes: Uint8Array): (Stripped & { supported: true }) | { supported: false } {
  if (mediaType === 'image/jpeg') return { ...stripJpeg(bytes), supported: true };
  if (mediaType === 'image/png') return { ...stripPng(bytes), supported: true };
  return { supported: false };
}

/** A file name safe to show and to put in a package: no folders, no control characters, bounded. */
export function cleanFilename(name: string, fallback: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base.replace(/[\u0000-\u001f\u007f"<>|:*?]/g, '').trim().slice(0, 120);
  return cleaned || fallback;
}

export const MAX_FILES = 5;
export const MAX_TOTAL_BYTES = 30 * 1024 * 1024;

export type RawFile = { filename: string; declaredType: string | undefined; bytes: Buffer };
export type PreparedFile = { filename: string; mediaType: DetectedType; bytes: Buffer; sha256: string; metadataRemoved: string[] | null; stripRequested: boolean };

/** A file refused before anything is stored; the reason is shown next to the file's name. */
export class FileRejected extends Error {
  constructor(
    readonly reason: 'not_allowed' | 'mismatch' | 'empty' | 'too_large' | 'damaged' | 'too_many',
    readonly filename: string,
  ) {
    super(reason);
  }
}

/** Checks every file by its content and strips photo metadata when asked; throws on the first bad one. */
export function prepareFiles(files: RawFile[], options: { strip: boolean; maxBytes: number }): PreparedFile[] {
  if (files.length > MAX_FILES) throw new FileRejected('too_many', '');
  if (files.reduce((n, f) => n + f.bytes.length, 0) > MAX_TOTAL_BYTES) throw new FileRejected('too_large', '');
  return files.map((file, n) => {
    const filename = cleanFilename(file.filename, `archivo-${n + 1}`);
    const check = checkFile({ bytes: file.bytes, declaredType: file.declaredType, filename, maxBytes: options.maxBytes });
    if (!check.ok) throw new FileRejected(check.reason, filename);
    let bytes = file.bytes;
    let metadataRemoved: string[] | null = null;
    if (options.strip) {
      try {
        const stripped = stripMetadata(check.mediaType, bytes);
        if (stripped.supported) {
          bytes = stripped.bytes;
          metadataRemoved = stripped.removed;
        }
      } catch {
        throw new FileRejected('damaged', filename);
      }
    }
    return { filename, mediaType: check.mediaType, bytes, sha256: sha256Hex(bytes), metadataRemoved, stripRequested: options.strip };
  });
}
