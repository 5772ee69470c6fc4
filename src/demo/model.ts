/**
 * The demo data set as the generator builds it in memory, before demo.ts writes it: records in the
 * shape of the tables, with people and cases as objects rather than ids.
 */

export type Staff = { supervisor: string; caseworkers: string[] };

export type DemoPerson = {
  id: string;
  /** The human behind the record: the same for her records in several institutions (never written). */
  identity: string;
  institution: string;
  given_names: string;
  surname1: string | null;
  surname2: string | null;
  sex: 'female' | 'male';
  gender_identity: string | null;
  date_of_birth: string | null;
  estimated_age: number | null;
  age_estimated_on: string | null;
  nationalities: string[];
  country_of_birth: string | null;
  languages: string[];
  disabilities: string[];
  vulnerabilities: string[];
  documents: { type: string; number: string; issuer?: string }[];
  contact: { phone?: string; email?: string; notes?: string } | null;
  location_country: string;
  location_state: string | null;
  location_municipality: string | null;
  created_by: string;
  created_at: Date;
  /** Age in years on the day of first contact. */
  age: number;
};

export type DemoEvent = { at: Date; actor: string; kind: string; data: Record<string, unknown> };

export type DemoCase = {
  id: string;
  institution: string;
  folio: string;
  programme: string;
  status: 'open' | 'in_progress' | 'closed' | 'reopened';
  closure_reason: string | null;
  opened_on: string;
  closed_on: string | null;
  assigned_to: string | null;
  created_by: string;
  created_at: Date;
  updated_at: Date;
  summary: string | null;
  crime_types: string[];
  rights_violations: string[];
  origin_referral_id: string | null;
  participants: { id: string; person: DemoPerson; role: 'direct_victim' | 'indirect_victim' | 'applicant' | 'family_member' | 'guardian'; relationship: string | null }[];
  services: { id: string; person: DemoPerson; service_type: string; provided_on: string; provider_unit: string; notes: string | null; created_by: string; created_at: Date }[];
  notes: { id: string; body: string; author: string; created_at: Date }[];
  events: DemoEvent[];
};

export type DemoReferral = {
  id: string;
  from: DemoCase;
  to: string;
  reason: string;
  consent_recorded_on: string;
  consent_method: 'written' | 'verbal' | 'guardian';
  shared_sections: string[];
  status: 'pending' | 'accepted' | 'declined';
  response_note: string | null;
  responded_by: string | null;
  responded_at: Date | null;
  receiving: DemoCase | null;
  created_by: string;
  created_at: Date;
};

export type DemoDataSet = { people: DemoPerson[]; cases: DemoCase[]; referrals: DemoReferral[]; folioCounters: { institution: string; year: number; last: number }[] };

/** How many institutions attended each human (her own records, and the cases she took part in). */
export function institutionsPerHuman(data: Pick<DemoDataSet, 'people' | 'cases'>): Map<string, Set<string>> {
  const seen = new Map<string, Set<string>>();
  const note = (identity: string, institution: string) => {
    const set = seen.get(identity) ?? new Set<string>();
    set.add(institution);
    seen.set(identity, set);
  };
  for (const p of data.people) note(p.identity, p.institution);
  for (const c of data.cases) for (const p of c.participants) note(p.person.identity, c.institution);
  return seen;
}
