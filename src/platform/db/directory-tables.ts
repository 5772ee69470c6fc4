import type { ColumnType, Generated } from 'kysely';

// The services directory's tables (migration 0036, src/directory). Kept apart from database.ts so that
// the module's schema reads in one place; `Database` extends this interface.

type Time = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTime = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type NullableDate = ColumnType<string | null, string | null | undefined, string | null>;

export type ReviewState = 'draft' | 'pending' | 'published';
export type ServiceStatus = 'active' | 'inactive' | 'defunct' | 'temporarily closed';
export type PhoneType = 'voice' | 'text' | 'whatsapp' | 'fax' | 'hotline';

export interface DirectoryOrganizationTable {
  id: string;
  institution_id: string | null;
  name: string;
  alternate_name: string | null;
  description: string;
  email: string | null;
  website: string | null;
  updated_at: Time;
}

export interface DirectoryLocationTable {
  id: string;
  organization_id: string;
  name: string | null;
  description: string | null;
  transportation: string | null;
  address_1: string;
  city: string;
  municipality_code: string | null;
  state_code: string;
  postal_code: Generated<string>;
  latitude: number | null;
  longitude: number | null;
  updated_at: Time;
}

export interface DirectoryServiceTable {
  id: string;
  organization_id: string;
  institution_id: string | null;
  name: string;
  alternate_name: string | null;
  description: Generated<string>;
  url: string | null;
  email: string | null;
  status: Generated<ServiceStatus>;
  application_process: string | null;
  free: Generated<boolean>;
  fees_description: string | null;
  eligibility_description: string | null;
  minimum_age: number | null;
  maximum_age: number | null;
  required_documents: ColumnType<string[], string[] | undefined, string[]>;
  alert: string | null;
  capacity_maximum: number | null;
  capacity_available: number | null;
  capacity_updated_at: NullableTime;
  review_state: Generated<ReviewState>;
  review_note: string | null;
  changed_by: string | null;
  submitted_at: NullableTime;
  published_by: string | null;
  published_at: NullableTime;
  verified_on: NullableDate;
  verified_by: string | null;
  created_at: Time;
  updated_at: Time;
}

export interface DirectoryServiceAtLocationTable {
  id: string;
  service_id: string;
  location_id: string;
  description: string | null;
}

export interface DirectoryScheduleTable {
  id: string;
  service_id: string;
  byday: string;
  opens_at: string;
  closes_at: string;
  description: string | null;
}

export interface DirectoryPhoneTable {
  id: string;
  service_id: string;
  number: string;
  type: Generated<PhoneType>;
  description: string | null;
}

export interface DirectoryServiceLanguageTable {
  id: string;
  service_id: string;
  code: string;
}

export interface DirectoryTaxonomyTable {
  id: string;
  name: string;
  description: string;
  uri: string | null;
  version: string | null;
}

export interface DirectoryTaxonomyTermTable {
  id: string;
  taxonomy_id: string;
  code: string;
  name: string;
  name_en: string;
  description: string;
  parent_id: string | null;
}

export interface DirectoryServiceTermTable {
  id: string;
  service_id: string;
  term_id: string;
}

export interface DirectoryTables {
  directory_organizations: DirectoryOrganizationTable;
  directory_locations: DirectoryLocationTable;
  directory_services: DirectoryServiceTable;
  directory_service_at_locations: DirectoryServiceAtLocationTable;
  directory_schedules: DirectoryScheduleTable;
  directory_phones: DirectoryPhoneTable;
  directory_service_languages: DirectoryServiceLanguageTable;
  directory_taxonomies: DirectoryTaxonomyTable;
  directory_taxonomy_terms: DirectoryTaxonomyTermTable;
  directory_service_terms: DirectoryServiceTermTable;
}
