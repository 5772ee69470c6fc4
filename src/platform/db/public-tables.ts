import type { ColumnType, Generated } from 'kysely';

// The public front door's tables (migration 0040, src/public) and the families' photos (migration
// 0041, src/missing/public). Kept apart from database.ts; `Database` extends this interface.

export interface PublicSiteSettingsTable {
  id: Generated<boolean>;
  operator_name: string;
  phone: string | null;
  whatsapp: string | null;
  address: string | null;
  privacy_notice: string | null;
  logo: Buffer | null;
  logo_media_type: 'image/png' | 'image/jpeg' | null;
  updated_at: Generated<Date>;
  updated_by: string | null;
}

export interface InformationPageTable {
  id: Generated<string>;
  slug: string;
  position: Generated<number>;
  created_at: Generated<Date>;
}

export interface InformationPageVersionTable {
  id: Generated<string>;
  page_id: string;
  version: number;
  title: string;
  summary: string;
  body: string;
  sources: string;
  reviewed_on: ColumnType<string, string, string>;
  note: string | null;
  created_at: Generated<Date>;
  created_by: string | null;
}

export interface MissingReportPhotoTable {
  id: Generated<string>;
  report_id: string;
  institution_id: string;
  media_type: 'image/jpeg' | 'image/png';
  size_bytes: number;
  content_enc: Buffer;
  metadata_removed: Generated<string[]>;
  created_at: Generated<Date>;
}

export interface PublicTables {
  public_site_settings: PublicSiteSettingsTable;
  information_pages: InformationPageTable;
  information_page_versions: InformationPageVersionTable;
  missing_report_photos: MissingReportPhotoTable;
}
