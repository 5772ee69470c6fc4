import type { Db } from '../platform/db/database.ts';
import { appendAudit, PLATFORM_CHAIN } from '../platform/audit/audit.ts';
import { AppError } from '../platform/errors.ts';
import { requireCapability, type Actor } from '../platform/auth/policy.ts';
import { checkFile, stripMetadata } from '../platform/files/uploads.ts';
import { ADDRESS_UNKNOWN, DEFAULT_OPERATOR_NAME, DEFAULT_PRIVACY_NOTICE } from './defaults.ts';

/** Who runs the service, as the home page and the privacy notice show it. */
export type SiteSettings = {
  operator_name: string;
  phone: string | null;
  whatsapp: string | null;
  address: string | null;
  /** null: the default notice (src/public/defaults.ts) filled with the operator and address. */
  privacy_notice: string | null;
  has_logo: boolean;
  updated_at: Date | null;
};

export const LOGO_MAX_BYTES = 200_000;

export async function readSiteSettings(db: Db): Promise<SiteSettings> {
  const row = await db.selectFrom('public_site_settings').select(['operator_name', 'phone', 'whatsapp', 'address', 'privacy_notice', 'logo_media_type', 'updated_at']).executeTakeFirst();
  if (!row) return { operator_name: DEFAULT_OPERATOR_NAME, phone: null, whatsapp: null, address: null, privacy_notice: null, has_logo: false, updated_at: null };
  const { logo_media_type, ...rest } = row;
  return { ...rest, has_logo: logo_media_type !== null };
}

/** The notice as published: the administrators' own text, or the default with the operator's name and address. */
export function privacyNoticeText(settings: SiteSettings): string {
  if (settings.privacy_notice) return settings.privacy_notice;
  return DEFAULT_PRIVACY_NOTICE.replaceAll('{operator}', settings.operator_name).replaceAll('{address}', settings.address ?? ADDRESS_UNKNOWN);
}

export type SiteSettingsInput = Partial<Pick<SiteSettings, 'operator_name' | 'phone' | 'whatsapp' | 'address' | 'privacy_notice'>>;

/** Platform administrators only (`public_site.configure`); `actor` null is the demo loader. */
export async function updateSiteSettings(db: Db, actor: Actor | null, input: SiteSettingsInput): Promise<SiteSettings> {
  if (actor) requireCapability(actor, 'public_site.configure');
  await db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('public_site_settings').select('id').forUpdate().executeTakeFirst();
    const changes = { ...input, updated_at: new Date(), updated_by: actor?.userId ?? null };
    if (current) await trx.updateTable('public_site_settings').set(changes).execute();
    else await trx.insertInto('public_site_settings').values({ operator_name: DEFAULT_OPERATOR_NAME, ...changes }).execute();
    await appendAudit(trx, { institutionId: PLATFORM_CHAIN, actorUserId: actor?.userId ?? null, action: 'public_site.settings_changed', recordType: 'public_site_settings', ip: actor?.ip ?? null, detail: { keys: Object.keys(input) } });
  });
  return readSiteSettings(db);
}

/**
 * The operator's logo: PNG or JPEG by its content, at most 200 KB, its metadata stripped like a
 * complaint's photos (src/platform/files/uploads.ts). `null` removes it.
 */
export async function setLogo(db: Db, actor: Actor, logo: { bytes: Buffer; declaredType: string | undefined } | null): Promise<void> {
  requireCapability(actor, 'public_site.configure');
  let stored: { logo: Buffer; logo_media_type: 'image/png' | 'image/jpeg' } | { logo: null; logo_media_type: null } = { logo: null, logo_media_type: null };
  if (logo) {
    const checked = checkFile({ bytes: logo.bytes, declaredType: logo.declaredType, filename: '', maxBytes: LOGO_MAX_BYTES });
    if (!checked.ok && checked.reason === 'too_large') throw new AppError('logo_too_large');
    if (!checked.ok) throw new AppError('logo_not_an_image');
    if (checked.mediaType !== 'image/png' && checked.mediaType !== 'image/jpeg') throw new AppError('logo_not_an_image');
    let stripped;
    try {
      stripped = stripMetadata(checked.mediaType, logo.bytes);
    } catch {
      throw new AppError('logo_not_an_image');
    }
    stored = { logo: stripped.supported ? stripped.bytes : logo.bytes, logo_media_type: checked.mediaType };
  }
  await db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('public_site_settings').select('id').forUpdate().executeTakeFirst();
    const changes = { ...stored, updated_at: new Date(), updated_by: actor.userId };
    if (current) await trx.updateTable('public_site_settings').set(changes).execute();
    else await trx.insertInto('public_site_settings').values({ operator_name: DEFAULT_OPERATOR_NAME, ...changes }).execute();
    await appendAudit(trx, { institutionId: PLATFORM_CHAIN, actorUserId: actor.userId, action: 'public_site.logo_changed', recordType: 'public_site_settings', ip: actor.ip, detail: { removed: logo === null } });
  });
}

export async function readLogo(db: Db): Promise<{ bytes: Buffer; mediaType: string } | null> {
  const row = await db.selectFrom('public_site_settings').select(['logo', 'logo_media_type']).executeTakeFirst();
  return row?.logo && row.logo_media_type ? { bytes: row.logo, mediaType: row.logo_media_type } : null;
}
