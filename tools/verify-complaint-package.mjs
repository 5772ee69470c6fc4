#!/usr/bin/env node
// Verifies an Amparo complaint package (a ZIP) with nothing but Node.js (>= 18): no Amparo code, no
// npm packages. Usage:
//
//   node verify-complaint-package.mjs PACKAGE.zip [--public-key KEY.pem] [--json]
//
// Checks: the ZIP structure and CRC-32 of every entry; the Ed25519 signature of manifest.json
// (manifest.sig) with the given public key (or, with a warning, the key inside the package); that
// every file is listed in the manifest with the right size and SHA-256 and nothing is missing or
// added; the custody chain (custody.json) link by link; that intake.json has the SHA-256 printed on
// the acuse (content.json: intake_sha256) and recorded when the complaint was received; and, when
// the contact details travel, that they match the commitment in intake.json.
// Exit status 0 when every check passes, 1 when one fails, 2 on wrong usage.
import fs from 'node:fs';
import crypto from 'node:crypto';
import zlib from 'node:zlib';

const CRC_TABLE = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes) {
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = CRC_TABLE[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
const sha256 = (data) => crypto.createHash('sha256').update(data).digest('hex');

function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** Reads every entry of a ZIP (stored or deflated), checking names and CRC-32. */
function readZip(buffer) {
  let end = -1;
  for (let i = buffer.length - 22; i >= Math.max(0, buffer.length - 22 - 65535); i--) {
    if (buffer.readUInt32LE(i) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new Error('not a ZIP file (no end of central directory)');
  const count = buffer.readUInt16LE(end + 10);
  let p = buffer.readUInt32LE(end + 16);
  const entries = new Map();
  for (let n = 0; n < count; n++) {
    if (buffer.readUInt32LE(p) !== 0x02014b50) throw new Error('damaged central directory');
    const method = buffer.readUInt16LE(p + 10);
    const crc = buffer.readUInt32LE(p + 16);
    const compressed = buffer.readUInt32LE(p + 20);
    const size = buffer.readUInt32LE(p + 24);
    const nameLength = buffer.readUInt16LE(p + 28);
    const extraLength = buffer.readUInt16LE(p + 30);
    const commentLength = buffer.readUInt16LE(p + 32);
    const offset = buffer.readUInt32LE(p + 42);
    const name = buffer.subarray(p + 46, p + 46 + nameLength).toString('utf8');
    p += 46 + nameLength + extraLength + commentLength;
    if (name.startsWith('/') || name.split('/').includes('..') || name.includes('\\')) throw new Error(`unsafe file name in package: ${name}`);
    if (entries.has(name)) throw new Error(`file appears twice in package: ${name}`);
    if (buffer.readUInt32LE(offset) !== 0x04034b50) throw new Error(`damaged entry: ${name}`);
    const dataStart = offset + 30 + buffer.readUInt16LE(offset + 26) + buffer.readUInt16LE(offset + 28);
    const raw = buffer.subarray(dataStart, dataStart + compressed);
    const data = method === 0 ? raw : method === 8 ? zlib.inflateRawSync(raw) : null;
    if (!data) throw new Error(`unsupported compression method ${method}: ${name}`);
    if (data.length !== size || crc32(data) !== crc) throw new Error(`CRC or size mismatch: ${name}`);
    entries.set(name, data);
  }
  return entries;
}

function verifyPackage(path, publicKeyFile) {
  const checks = [];
  const check = (name, ok, detail = '') => checks.push({ name, ok: Boolean(ok), detail });
  const warnings = [];
  let files;
  try {
    files = readZip(fs.readFileSync(path));
    check('zip structure and CRC-32 of every entry', true, `${files.size} entries`);
  } catch (error) {
    check('zip structure and CRC-32 of every entry', false, error.message);
    return { ok: false, checks, warnings };
  }
  const text = (name) => files.get(name)?.toString('utf8');
  const json = (name) => {
    try {
      return JSON.parse(text(name));
    } catch {
      return null;
    }
  };

  const manifestBytes = files.get('manifest.json');
  const signature = text('manifest.sig');
  const manifest = json('manifest.json');
  check('manifest.json and manifest.sig present', manifestBytes && signature && manifest);
  if (!manifest) return { ok: false, checks, warnings };

  let publicKeyPem;
  if (publicKeyFile) publicKeyPem = fs.readFileSync(publicKeyFile, 'utf8');
  else {
    publicKeyPem = text('public-key.pem');
    warnings.push('No --public-key given: the signature was checked with the key inside the package. Compare its SHA-256 below with the key the sender publishes at /api/v1/complaints/signing-key.');
  }
  let signatureOk = false;
  try {
    signatureOk = crypto.verify(null, manifestBytes, crypto.createPublicKey(publicKeyPem), Buffer.from(signature.trim(), 'base64'));
  } catch (error) {
    warnings.push(`signature check failed to run: ${error.message}`);
  }
  check('Ed25519 signature of manifest.json', signatureOk, `key SHA-256 ${sha256(String(publicKeyPem).trim())}`);
  if (manifest.signature?.public_key_sha256 && publicKeyPem) {
    check('manifest names this public key', manifest.signature.public_key_sha256 === sha256(publicKeyPem.trim()));
  }

  const listed = new Map((manifest.files ?? []).map((f) => [f.path, f]));
  const bad = [];
  for (const [name, entry] of listed) {
    const data = files.get(name);
    if (!data) bad.push(`${name}: missing`);
    else if (data.length !== entry.size || sha256(data) !== entry.sha256) bad.push(`${name}: SHA-256 or size differs`);
  }
  for (const name of files.keys()) if (name !== 'manifest.json' && name !== 'manifest.sig' && !listed.has(name)) bad.push(`${name}: not in the manifest`);
  check('every file matches its SHA-256 in the manifest, none missing or added', bad.length === 0, bad.join('; ') || `${listed.size} files`);

  const custody = json('custody.json');
  let custodyOk = Boolean(custody && Array.isArray(custody.entries));
  let brokenAt = null;
  if (custodyOk) {
    let prev = custody.genesis ?? '0'.repeat(64);
    for (const [n, e] of custody.entries.entries()) {
      const fields = { complaint_id: e.complaint_id, seq: e.seq, at: e.at, actor_kind: e.actor_kind, actor_user_id: e.actor_user_id, action: e.action, detail: e.detail };
      const hash = sha256(`${prev}\n${canonical(fields)}`);
      if (e.seq !== n + 1 || e.prev_hash !== prev || e.hash !== hash || e.complaint_id !== manifest.complaint_id) {
        custodyOk = false;
        brokenAt = e.seq;
        break;
      }
      prev = e.hash;
    }
  }
  check('custody chain links', custodyOk, brokenAt === null ? `${custody?.entries?.length ?? 0} entries` : `broken at entry ${brokenAt}`);

  const content = json('content.json');
  const intakeBytes = files.get('intake.json');
  const intakeHash = intakeBytes ? sha256(intakeBytes) : null;
  check('intake.json has the SHA-256 of the acuse (content.json intake_sha256)', content && intakeHash === content.intake_sha256, intakeHash ?? 'intake.json missing');
  const received = custody?.entries?.find((e) => e.action === 'received');
  check('the custody chain recorded that same SHA-256 on receipt', received && received.detail?.content_sha256 === intakeHash);
  if (content?.contact && content.contact_nonce) {
    const intake = json('intake.json');
    check('contact details match the commitment in intake.json', intake && intake.contact_commitment === sha256(`${content.contact_nonce}\n${canonical(content.contact)}`));
  }
  return { ok: checks.every((c) => c.ok), checks, warnings, folio: manifest.folio, created_at: manifest.created_at };
}

const args = process.argv.slice(2);
const keyIndex = args.indexOf('--public-key');
const publicKeyFile = keyIndex >= 0 ? args[keyIndex + 1] : undefined;
const asJson = args.includes('--json');
const packagePath = args.find((a, i) => !a.startsWith('--') && i !== keyIndex + 1);
if (!packagePath || (keyIndex >= 0 && !publicKeyFile)) {
  process.stderr.write('usage: node verify-complaint-package.mjs PACKAGE.zip [--public-key KEY.pem] [--json]\n');
  process.exit(2);
}
const result = verifyPackage(packagePath, publicKeyFile);
if (asJson) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
else {
  process.stdout.write(`Package ${packagePath}${result.folio ? ` (folio ${result.folio}, made ${result.created_at})` : ''}\n`);
  for (const c of result.checks) process.stdout.write(`  ${c.ok ? 'OK  ' : 'FAIL'} ${c.name}${c.detail ? ` (${c.detail})` : ''}\n`);
  for (const w of result.warnings) process.stdout.write(`  NOTE ${w}\n`);
  process.stdout.write(result.ok ? 'VALID: the package is intact and signed.\n' : 'INVALID: do not rely on this package.\n');
}
process.exit(result.ok ? 0 : 1);
