import { describe, expect, it } from 'vitest';
import { checkFile, detectType, stripJpeg, stripPng } from '../platform/files/uploads.ts';
import { html } from '../platform/html.ts';
import { crc32, writeZip } from '../platform/files/zip.ts';
import { formatReceipt, newFolio, newReceipt, normaliseFolio, normaliseReceipt } from '../platform/receipts.ts';
import { canonicalJson } from './custody.ts';
import { jpegWithExif, oggBytes, pdfBytes, pngWithText } from './testing/fixtures.ts';

describe('files', () => {
  it('decides the type by content and refuses a declared type the content contradicts', () => {
    expect(detectType(jpegWithExif())).toBe('image/jpeg');
    expect(detectType(pngWithText())).toBe('image/png');
    expect(detectType(pdfBytes())).toBe('application/pdf');
    expect(detectType(oggBytes())).toBe('audio/ogg');
    expect(detectType(Buffer.from('ID3\x04\0\0\0\0\0\0', 'latin1'))).toBe('audio/mpeg');
    expect(detectType(Buffer.from('\0\0\0\x20ftypM4A \0\0\0\0', 'latin1'))).toBe('audio/mp4');
    expect(detectType(Buffer.from('<html>', 'latin1'))).toBeNull();
    const max = 1024 * 1024;
    expect(checkFile({ bytes: pngWithText(), declaredType: 'image/jpeg', filename: 'a.jpg', maxBytes: max })).toEqual({ ok: false, reason: 'mismatch' });
    expect(checkFile({ bytes: pngWithText(), declaredType: 'application/octet-stream', filename: 'a.png', maxBytes: max })).toEqual({ ok: true, mediaType: 'image/png' });
    expect(checkFile({ bytes: oggBytes(), declaredType: 'audio/opus', filename: 'nota.opus', maxBytes: max })).toEqual({ ok: true, mediaType: 'audio/ogg' });
    expect(checkFile({ bytes: Buffer.from('<script>', 'latin1'), declaredType: 'text/html', filename: 'x.html', maxBytes: max })).toEqual({ ok: false, reason: 'not_allowed' });
    expect(checkFile({ bytes: Buffer.from('<script>', 'latin1'), declaredType: 'image/jpeg', filename: 'x.jpg', maxBytes: max })).toEqual({ ok: false, reason: 'mismatch' });
    expect(checkFile({ bytes: Buffer.alloc(0), declaredType: 'image/png', filename: 'x.png', maxBytes: max })).toEqual({ ok: false, reason: 'empty' });
    expect(checkFile({ bytes: Buffer.alloc(2000, 1), declaredType: 'image/png', filename: 'x.png', maxBytes: 1000 })).toEqual({ ok: false, reason: 'too_large' });
  });

  it('removes EXIF, XMP, comments and trailing previews from JPEG, text chunks from PNG, and keeps the image data', () => {
    const { bytes, removed } = stripJpeg(jpegWithExif());
    expect(removed.sort()).toEqual(['EXIF', 'XMP', 'comment', 'trailing data'].sort());
    const text = bytes.toString('latin1');
    expect(text).not.toMatch(/GPS|Exif|CAM123|secret|TRAILING/);
    expect(text).toContain('JFIF');
    expect(bytes.subarray(-2)).toEqual(Buffer.from([0xff, 0xd9]));
    expect(bytes.includes(Buffer.from([0x12, 0x34, 0xff, 0x00, 0x56, 0xff, 0xd0, 0x78]))).toBe(true);
    expect(() => stripJpeg(jpegWithExif().subarray(0, 30))).toThrow();
    const png = stripPng(pngWithText());
    expect(png.removed).toEqual(['tEXt']);
    expect(png.bytes.toString('latin1')).not.toContain('GPS');
    expect(png.bytes.toString('latin1')).toContain('IDAT');
  });
});

describe('html escaping', () => {
  it('escapes every interpolated value, except markup made by html itself', () => {
    const evil = '<script>alert("x")</script>\'`&';
    expect(html`<p title="${evil}">${evil}</p>`.value).toBe('<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;&#96;&amp;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;&#96;&amp;</p>');
    expect(html`<ul>${['a<', 'b'].map((x) => html`<li>${x}</li>`)}</ul>`.value).toBe('<ul><li>a&lt;</li><li>b</li></ul>');
    expect(html`${null}${undefined}${false}${0}`.value).toBe('0');
  });
});

describe('receipts and folios', () => {
  it('makes 16-digit receipts and unguessable folios, and reads them back as people type them', () => {
    const receipt = newReceipt();
    expect(receipt).toMatch(/^\d{16}$/);
    expect(normaliseReceipt(formatReceipt(receipt))).toBe(receipt);
    expect(normaliseReceipt('123')).toBeNull();
    const folio = newFolio(new Date('2019-05-01T00:00:00Z'));
    expect(folio).toMatch(/^Q-2019-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(normaliseFolio(folio.toLowerCase().replace(/-/g, ' '))).toBe(folio);
    expect(normaliseFolio('q-2019-abc0-0000')).toBe('Q-2019-ABC0-0000');
    expect(normaliseFolio('Q-2019-ABCO-OOOO')).toBe('Q-2019-ABC0-0000');
    expect(normaliseFolio('drop table')).toBeNull();
  });
});

describe('documents', () => {
  it('writes a ZIP whose entries carry the right CRC-32', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    const zip = writeZip([{ name: 'a.txt', data: Buffer.from('hola') }, { name: 'dir/ñ.json', data: Buffer.from('{}') }], new Date('2019-05-01T12:00:00Z'));
    expect(zip.readUInt32LE(0)).toBe(0x04034b50);
    expect(zip.readUInt32LE(zip.length - 22)).toBe(0x06054b50);
    expect(zip.readUInt16LE(zip.length - 12)).toBe(2);
    expect(zip.includes(Buffer.from('dir/ñ.json'))).toBe(true);
  });

  it('canonical JSON sorts keys at every level', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { y: 1, x: null }], c: 'é' } })).toBe('{"a":{"c":"é","d":[2,{"x":null,"y":1}]},"b":1}');
  });
});
