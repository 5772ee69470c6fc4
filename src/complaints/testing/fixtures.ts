/** Files and helpers for the complaint tests (not loaded by the server). */
const segment = (marker: number, payload: Buffer) => {
  const head = Buffer.alloc(4);
  head[0] = 0xff;
  head[1] = marker;
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
};

/** A structurally valid JPEG with EXIF (GPS position), XMP, a comment and trailing data after EOI. */
export function jpegWithExif(): Buffer {
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    segment(0xe0, Buffer.from('JFIF\0\x01\x01\0\0\x01\0\x01\0\0', 'latin1')),
    segment(0xe1, Buffer.from('Exif\0\0MM\0*GPSLatitude=14.9066N;GPSLongitude=92.2631W;SerialNumber=CAM123', 'latin1')),
    segment(0xe1, Buffer.from('http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>GPSAltitude</x:xmpmeta>', 'latin1')),
    segment(0xfe, Buffer.from('secret comment', 'latin1')),
    segment(0xdb, Buffer.alloc(65, 1)),
    segment(0xc0, Buffer.from([8, 0, 1, 0, 1, 1, 1, 0x11, 0])),
    segment(0xda, Buffer.from([1, 1, 0, 0, 0x3f, 0])),
    Buffer.from([0x12, 0x34, 0xff, 0x00, 0x56, 0xff, 0xd0, 0x78]),
    Buffer.from([0xff, 0xd9]),
    Buffer.from('TRAILING-PREVIEW-Exif-GPSLatitude', 'latin1'),
  ]);
}

export function pngWithText(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'latin1');
    return Buffer.concat([head, data, Buffer.alloc(4)]);
  };
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0])),
    chunk('tEXt', Buffer.from('Comment\0GPS 19.43N 99.13W', 'latin1')),
    chunk('IDAT', Buffer.from([0x78, 0x9c, 0x63, 0, 0, 0, 1, 0, 1])),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export const pdfBytes = () => Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n', 'latin1');
export const oggBytes = () => Buffer.concat([Buffer.from('OggS', 'latin1'), Buffer.alloc(60, 7)]);

export type FormFile = { field: string; name: string; type: string; bytes: Buffer };

export function complaintForm(fields: Record<string, string>, files: FormFile[] = []): FormData {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  for (const f of files) form.append(f.field, new Blob([new Uint8Array(f.bytes)], { type: f.type }), f.name);
  return form;
}

export const baseFields = (overrides: Record<string, string> = {}): Record<string, string> => ({
  kind: 'grievance',
  narrative: 'En el retén me quitaron mi dinero y mis documentos.',
  occurred_on: '2019-05-02',
  state_code: '07',
  municipality: 'Tapachula',
  place_type: 'checkpoint',
  authority_type: 'migration_institute',
  badge_number: 'A-123',
  anonymous: 'yes',
  strip_metadata: 'yes',
  ...overrides,
});

export async function postForm(baseUrl: string, path: string, body: FormData | URLSearchParams, headers: Record<string, string> = {}) {
  const response = await fetch(baseUrl + path, { method: 'POST', body, headers });
  const type = response.headers.get('content-type') ?? '';
  const raw = Buffer.from(await response.arrayBuffer());
  return { status: response.status, headers: response.headers, text: type.includes('pdf') ? '' : raw.toString('utf8'), bytes: raw };
}

/** Folio, receipt and follow-up token from the receipt page. */
export function readReceiptPage(page: string): { folio: string; receipt: string; token: string } {
  const folio = /id="folio">([^<]+)</.exec(page)?.[1] ?? '';
  // The receipt is written in groups, one span each: the digits are what is left without the tags.
  const receipt = (/id="receipt">(.*?)<\/p>/.exec(page)?.[1] ?? '').replace(/<[^>]*>|\s/g, '');
  const token = /name="token" value="([^"]+)"/.exec(page)?.[1] ?? '';
  return { folio, receipt, token };
}

export const tokenOf = (page: string) => /name="token" value="([^"]+)"/.exec(page)?.[1] ?? '';
