import type { Db, Tx } from '../platform/db/database.ts';
import type { FieldCipher } from '../platform/crypto/field-encryption.ts';
import type { ContentCipher } from '../platform/crypto/content-key.ts';
import { canonicalJson, readCustody, sha256Hex } from './custody.ts';
import { intakeDocument } from './intake.service.ts';
import { signBytes, signingKey } from './signing.ts';
import { writeZip, type ZipEntry } from '../platform/files/zip.ts';
import { authorityTypes, complaintKinds, mexicanStates, placeTypes } from './vocabularies.ts';

export const PACKAGE_FORMAT = 'amparo-complaint-package/1';

const README = `Paquete de queja de Amparo / Amparo complaint package
======================================================

ES: Este archivo ZIP contiene una queja tal como la resguarda Amparo:
  content.json      la queja: relato, lugar, autoridad señalada, mensajes, lista de archivos
  intake.json       lo recibido originalmente; su SHA-256 es la huella impresa en el acuse
  custody.json      la cadena de custodia: cada acción, enlazada por hashes SHA-256
  attachments/      los archivos adjuntos, tal como se guardaron
  public-key.pem    la clave pública Ed25519 de la instalación
  manifest.json     el SHA-256 y el tamaño de cada archivo del paquete
  manifest.sig      la firma Ed25519 (base64) de manifest.json
Verificación: node verify-complaint-package.mjs PAQUETE.zip --public-key CLAVE.pem
(la herramienta no necesita nada más que Node.js; compare la clave con la publicada en
/api/v1/complaints/signing-key de la instalación que envió el paquete).

EN: This ZIP holds one complaint as Amparo keeps it (files as above). Verify it with
node verify-complaint-package.mjs PACKAGE.zip --public-key KEY.pem, using the public key published at
/api/v1/complaints/signing-key by the installation that sent it.
`;

export type PackageOptions = { include_contact: boolean; include_notes: boolean; purpose: 'export' | 'transmission'; transmission?: { to_authority: string; means: string; reference: string | null } };

export type BuiltPackage = { zip: Buffer; sha256: string; manifest: Record<string, unknown>; fileCount: number };

/**
 * Builds the signed package of a complaint: a ZIP that any authority can open, with a manifest of
 * SHA-256 hashes signed with the installation's Ed25519 key. Checked by tools/verify-complaint-package.mjs.
 */
export async function buildPackage(db: Db, trx: Tx, cipher: FieldCipher, contents: ContentCipher, complaintId: string, options: PackageOptions, by: { userId: string; institutionId: string }): Promise<BuiltPackage> {
  const now = new Date();
  const key = await signingKey(db, cipher);
  const c = await trx.selectFrom('complaints').selectAll().where('id', '=', complaintId).executeTakeFirstOrThrow();
  const unit = c.institution_id ? await trx.selectFrom('institutions').select(['code', 'name']).where('id', '=', c.institution_id).executeTakeFirst() : undefined;
  const messages = await trx.selectFrom('complaint_messages').selectAll().where('complaint_id', '=', complaintId).orderBy('created_at').orderBy('id').execute();
  const notes = options.include_notes ? await trx.selectFrom('complaint_notes').selectAll().where('complaint_id', '=', complaintId).orderBy('created_at').execute() : [];
  const files = await trx.selectFrom('complaint_attachments').selectAll().where('complaint_id', '=', complaintId).orderBy('created_at').orderBy('id').execute();
  const custody = await readCustody(trx, complaintId);

  const details = c.details_enc ? contents.decryptJson<Record<string, string>>(c.details_enc) : {};
  const storedContact = c.contact_enc ? contents.decryptJson<{ contact: Record<string, string>; nonce: string }>(c.contact_enc) : null;
  const narrative = contents.decryptText(c.narrative_enc);

  const entries: ZipEntry[] = [];
  const attachmentViews = files.map((f, n) => {
    const filename = contents.decryptText(f.filename_enc);
    const path = `attachments/${String(n + 1).padStart(2, '0')}-${filename.replace(/[^\p{L}\p{N}._-]+/gu, '_').slice(0, 80)}`;
    const bytes = contents.decryptBytes(f.content_enc);
    if (sha256Hex(bytes) !== f.sha256) throw new Error(`attachment ${f.id} does not match its recorded SHA-256`);
    entries.push({ name: path, data: bytes });
    return { path, filename, media_type: f.media_type, size_bytes: f.size_bytes, sha256: f.sha256, source: f.source, metadata_removed: f.metadata_removed, message_id: f.message_id, received_at: f.created_at.toISOString(), intake: f.message_id === null && f.source !== 'handler' };
  });

  const intake = intakeDocument({
    folio: c.folio,
    received_at: c.received_at,
    channel: c.channel,
    kind: c.kind,
    language: c.language,
    narrative,
    occurred_on: c.occurred_on,
    state_code: c.state_code,
    municipality_code: c.municipality_code,
    place_type: c.place_type,
    authority_type: c.authority_type,
    details,
    anonymous: c.anonymous,
    contact: storedContact,
    attachments: attachmentViews.filter((a) => a.intake),
  });
  const intakeBytes = Buffer.from(canonicalJson(intake), 'utf8');

  const content = {
    format: 'amparo-complaint/1',
    folio: c.folio,
    complaint_id: c.id,
    kind: c.kind,
    kind_label: complaintKinds[c.kind].es,
    channel: c.channel,
    status: c.status,
    not_admitted_reason: c.not_admitted_reason,
    outcome: c.outcome,
    received_at: c.received_at.toISOString(),
    occurred_on: c.occurred_on,
    location: {
      state_code: c.state_code,
      state_name: c.state_code ? (mexicanStates[c.state_code] ?? null) : null,
      municipality_code: c.municipality_code,
      municipality: details.municipality ?? null,
      place_type: c.place_type,
      place_type_label: placeTypes[c.place_type as keyof typeof placeTypes]?.es ?? c.place_type,
      place_description: details.place_description ?? null,
    },
    authority: {
      type: c.authority_type,
      type_label: authorityTypes[c.authority_type as keyof typeof authorityTypes]?.es ?? c.authority_type,
      name: details.authority_name ?? null,
      official_description: details.official_description ?? null,
      badge_number: details.badge_number ?? null,
      vehicle_number: details.vehicle_number ?? null,
    },
    narrative,
    anonymous: c.anonymous,
    contact: options.include_contact && storedContact ? storedContact.contact : null,
    contact_nonce: options.include_contact && storedContact ? storedContact.nonce : null,
    contact_withheld: !options.include_contact && storedContact !== null,
    intake_sha256: c.content_sha256,
    messages: messages.map((m) => ({
      at: m.created_at.toISOString(),
      direction: m.direction,
      is_question: m.is_question,
      body: contents.decryptText(m.body_enc),
      attachments: attachmentViews.filter((a) => a.message_id === m.id).map((a) => a.path),
    })),
    internal_notes: options.include_notes ? notes.map((n) => ({ at: n.created_at.toISOString(), body: contents.decryptText(n.body_enc) })) : null,
    attachments: attachmentViews.map(({ message_id: _m, ...a }) => a),
    receiving_unit: unit ? { code: unit.code, name: unit.name } : null,
    package: { purpose: options.purpose, generated_at: now.toISOString(), generated_by_user_id: by.userId, transmission: options.transmission ?? null },
  };

  entries.unshift(
    { name: 'content.json', data: Buffer.from(JSON.stringify(content, null, 2) + '\n', 'utf8') },
    { name: 'intake.json', data: intakeBytes },
    { name: 'custody.json', data: Buffer.from(JSON.stringify({ format: 'amparo-custody/1', complaint_id: c.id, genesis: '0'.repeat(64), hash: 'sha256(prev_hash + "\\n" + canonical_json({complaint_id, seq, at, actor_kind, actor_user_id, action, detail}))', entries: custody }, null, 2) + '\n', 'utf8') },
    { name: 'public-key.pem', data: Buffer.from(key.publicKeyPem, 'utf8') },
    { name: 'README.txt', data: Buffer.from(README, 'utf8') },
  );
  const manifest = {
    format: PACKAGE_FORMAT,
    folio: c.folio,
    complaint_id: c.id,
    created_at: now.toISOString(),
    signature: { algorithm: 'Ed25519', key_id: key.id, public_key_sha256: key.fingerprint, file: 'manifest.sig', signs: 'manifest.json' },
    files: entries.map((e) => ({ path: e.name, size: e.data.length, sha256: sha256Hex(e.data) })),
  };
  const manifestBytes = Buffer.from(JSON.stringify(manifest, null, 2) + '\n', 'utf8');
  entries.push({ name: 'manifest.json', data: manifestBytes }, { name: 'manifest.sig', data: Buffer.from(signBytes(key, manifestBytes) + '\n', 'utf8') });
  const zip = writeZip(entries, now);
  return { zip, sha256: sha256Hex(zip), manifest, fileCount: entries.length };
}
