import { deflateRawSync } from 'node:zlib';

/**
 * A ZIP writer with no dependency, shared by complaint packages and spreadsheet exports. Entries are
 * stored by default (photos, PDF and audio are compressed already, and a stored entry can be checked
 * with any tool) or deflated on request (XML). UTF-8 names, a fixed timestamp, so the same content
 * gives the same bytes.
 */
const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = CRC_TABLE[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function dosTime(date: Date): { time: number; date: number } {
  const year = Math.max(1980, date.getUTCFullYear());
  return {
    time: (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | Math.floor(date.getUTCSeconds() / 2),
    date: ((year - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate(),
  };
}

export type ZipEntry = { name: string; data: Uint8Array };

export function writeZip(entries: ZipEntry[], modified: Date, options: { deflate?: boolean } = {}): Buffer {
  const method = options.deflate ? 8 : 0;
  const { time, date } = dosTime(modified);
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const raw = Buffer.from(entry.data);
    const crc = crc32(raw);
    const data = options.deflate ? deflateRawSync(raw) : raw;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    // Method (0 stored, 8 deflate), time, date, CRC, sizes and name length: the same in both headers.
    const writeFileFields = (header: Buffer, at: number) => {
      header.writeUInt16LE(method, at);
      header.writeUInt16LE(time, at + 2);
      header.writeUInt16LE(date, at + 4);
      header.writeUInt32LE(crc, at + 6);
      header.writeUInt32LE(data.length, at + 10);
      header.writeUInt32LE(raw.length, at + 14);
      header.writeUInt16LE(name.length, at + 18);
    };
    writeFileFields(local, 8);
    local.writeUInt16LE(0, 28);
    locals.push(local, name, data);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(0x0314, 4); // made by: Unix, 2.0
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    writeFileFields(central, 10);
    central.writeUInt32LE((0o100644 << 16) >>> 0, 38); // regular file, rw-r--r--
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const centralSize = centrals.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}
