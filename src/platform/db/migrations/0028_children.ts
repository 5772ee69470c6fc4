import { sql, type Kysely } from 'kysely';

// Child protection (src/children, docs/children.md): the child's file is a case of programme
// `child_protection` with one `child_files` row; around it the restitution plan, best-interests
// assessments and determinations with their panel, placements in alternative care, verifications of
// the adults who ask for the child, reunifications and their follow-up visits.
//
// Every table carries institution_id, the institution of the file (distribution key, decision 0002),
// so a file's rows live together. Narratives (the child's own words, evidence, reasons) are
// encrypted by the application (`*_enc`).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table memberships drop constraint memberships_role_check;
    alter table memberships add constraint memberships_role_check
      check (role in ('administrator','supervisor','caseworker','analyst','auditor','complaint_handler','search_officer','child_protection_officer'));

    alter table case_participants drop constraint case_participants_role_check;
    alter table case_participants add constraint case_participants_role_check
      check (role in ('direct_victim','indirect_victim','applicant','family_member','guardian','child'));

    create table child_files (
      case_id uuid primary key references cases(id),
      institution_id uuid not null references institutions(id),
      person_id uuid not null references people(id),
      accompaniment text not null check (accompaniment in ('accompanied','unaccompanied','separated')),
      accompanied_by_enc text,
      identified_at timestamptz not null,
      identified_how text not null check (identified_how in ('migration_authority','shelter','border_crossing','public_place','consulate','self_presented','other')),
      identified_state char(2),
      notified_at timestamptz,
      notified_by text check (length(notified_by) <= 200),
      language text check (length(language) <= 60),
      interpreter text not null default 'not_needed' check (interpreter in ('not_needed','needed','provided')),
      views_enc text,
      wishes_tracing text check (wishes_tracing in ('yes','no','later')),
      wishes_reunification text check (wishes_reunification in ('yes','no','later')),
      tracing_consent text not null default 'not_asked' check (tracing_consent in ('given','refused','not_asked')),
      tracing_consent_on date,
      protection_claim text not null default 'none' check (protection_claim in ('none','open','recognised','refused','withdrawn')),
      protection_claim_on date,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (notified_at is null or notified_at >= identified_at - interval '1 day')
    );
    create index child_files_institution on child_files (institution_id, identified_at);
    create unique index child_files_person_open on child_files (person_id, case_id);

    create table child_links (
      id uuid primary key default gen_random_uuid(),
      institution_id uuid not null references institutions(id),
      case_id uuid not null references child_files(case_id),
      person_id uuid not null references people(id),
      relationship text not null check (relationship in ('sibling','companion','parent','relative','other')),
      travelling_together boolean not null default false,
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      unique (case_id, person_id)
    );

    create table consular_notifications (
      id uuid primary key default gen_random_uuid(),
      institution_id uuid not null references institutions(id),
      case_id uuid not null references child_files(case_id),
      country char(3) not null,
      notified_on date not null,
      created_by uuid references users(id),
      created_at timestamptz not null default now()
    );
    create index consular_notifications_case on consular_notifications (case_id);

    create table restitution_measures (
      id uuid primary key default gen_random_uuid(),
      institution_id uuid not null references institutions(id),
      case_id uuid not null references child_files(case_id),
      right_affected text not null,
      legal_basis text not null check (length(legal_basis) between 2 and 300),
      measure_type text not null check (measure_type in ('protection','restitution')),
      measure text not null,
      beneficiary_person_id uuid not null references people(id),
      responsible_institution text not null check (length(responsible_institution) between 2 and 200),
      responsible_person text check (length(responsible_person) <= 200),
      frequency text not null check (frequency in ('once','daily','weekly','monthly','as_needed')),
      due_on date not null,
      executed_on date,
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index restitution_measures_case on restitution_measures (case_id);
    create index restitution_measures_due on restitution_measures (institution_id, due_on) where executed_on is null;

    create table restitution_notes (
      id uuid primary key default gen_random_uuid(),
      institution_id uuid not null references institutions(id),
      case_id uuid not null references child_files(case_id),
      measure_id uuid not null references restitution_measures(id),
      body_enc text not null,
      author_id uuid references users(id),
      created_at timestamptz not null default now()
    );
    create index restitution_notes_measure on restitution_notes (measure_id);

    create table care_facilities (
      id uuid primary key default gen_random_uuid(),
      institution_id uuid not null references institutions(id),
      name text not null check (length(name) between 2 and 200),
      kind text not null check (kind in ('cas','shelter')),
      state char(2),
      capacity integer not null check (capacity between 1 and 10000),
      active boolean not null default true,
      created_at timestamptz not null default now(),
      unique (institution_id, name)
    );

    create table placements (
      id uuid primary key default gen_random_uuid(),
      institution_id uuid not null references institutions(id),
      case_id uuid not null references child_files(case_id),
      care_type text not null check (care_type in ('kinship','foster_family','family_based','supervised_independent','residential')),
      facility_id uuid references care_facilities(id),
      place_enc text,
      started_on date not null,
      ended_on date,
      change_reason text check (length(change_reason) <= 500),
      justification_enc text,
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      check (ended_on is null or ended_on >= started_on),
      -- A residential placement is the last resort: it needs the written reason no family-based option was available.
      check (care_type <> 'residential' or (justification_enc is not null and facility_id is not null))
    );
    create index placements_case on placements (case_id, started_on);
    create unique index placements_one_current on placements (case_id) where ended_on is null;
    create index placements_facility_current on placements (facility_id) where ended_on is null;

    create table best_interests (
      id uuid primary key default gen_random_uuid(),
      institution_id uuid not null references institutions(id),
      case_id uuid not null references child_files(case_id),
      kind text not null check (kind in ('assessment_short','assessment_comprehensive','determination')),
      status text not null check (status in ('recorded','panel','decided','approved')),
      evidence_enc text,
      child_views_enc text,
      findings_enc text,
      decision text check (decision in ('reunify_family','stay_in_mexico','return_to_country','resettle_third_country','trace_family','alternative_care','other')),
      reasons_enc text,
      review_on date,
      panel_until date,
      decided_at timestamptz,
      approved_by uuid references users(id),
      approved_at timestamptz,
      created_by uuid references users(id),
      created_at timestamptz not null default now()
    );
    create index best_interests_case on best_interests (case_id, created_at);

    create table bid_panel_members (
      id uuid primary key default gen_random_uuid(),
      institution_id uuid not null references institutions(id),
      determination_id uuid not null references best_interests(id),
      user_id uuid not null references users(id),
      profession text not null check (profession in ('law','psychology','social_work','medicine','education','child_protection','other')),
      member_institution text not null check (length(member_institution) between 2 and 200),
      undertaking_accepted_at timestamptz,
      position text check (position in ('agree','dissent','abstain')),
      position_enc text,
      positioned_at timestamptz,
      created_at timestamptz not null default now(),
      unique (determination_id, user_id)
    );
    create index bid_panel_members_user on bid_panel_members (user_id);

    create table verifications (
      id uuid primary key default gen_random_uuid(),
      institution_id uuid not null references institutions(id),
      case_id uuid not null references child_files(case_id),
      adult_person_id uuid not null references people(id),
      relationship text not null check (relationship in ('mother','father','grandparent','sibling','aunt_uncle','other_relative','other')),
      child_interviewed_on date,
      adult_interviewed_on date,
      documents_checked boolean,
      photo_id_checked boolean,
      child_recognises_adult boolean,
      adult_willing boolean,
      adult_able boolean,
      accounts_agree boolean,
      recommendation text check (recommendation in ('reunify','do_not_reunify','more_information')),
      notes_enc text,
      completed_at timestamptz,
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (case_id, adult_person_id)
    );

    alter table reunifications
      add column adult_person_id uuid references people(id),
      add column verification_id uuid references verifications(id),
      add column determination_id uuid references best_interests(id),
      add column place text check (place in ('mexico','abroad')),
      add column receiving_body text check (length(receiving_body) <= 200);

    create table reunification_followups (
      id uuid primary key default gen_random_uuid(),
      institution_id uuid not null references institutions(id),
      case_id uuid not null references cases(id),
      reunification_id uuid not null references reunifications(id),
      due_on date not null,
      visited_on date,
      outcome text check (outcome in ('well','concerns','breakdown','not_located')),
      notes_enc text,
      recorded_by uuid references users(id),
      created_at timestamptz not null default now(),
      check ((visited_on is null) = (outcome is null))
    );
    create index reunification_followups_case on reunification_followups (case_id, due_on);

    -- A child's file closes only after the last follow-up visit of its reunifications: enforced here so
    -- that no path (the case screen, the API, a script) can close it early. The message names the error
    -- code the API answers with (src/platform/http/pg-errors.ts).
    create function amparo_child_case_closable() returns trigger language plpgsql as $$
    begin
      if new.status = 'closed' and old.status <> 'closed' and new.programme = 'child_protection'
         and exists (select 1 from reunification_followups f where f.case_id = new.id and f.visited_on is null) then
        raise exception using errcode = 'P0001', message = 'amparo:child_followups_pending';
      end if;
      return new;
    end $$;
    create trigger cases_child_closable before update of status on cases
      for each row execute function amparo_child_case_closable();
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop trigger cases_child_closable on cases;
    drop function amparo_child_case_closable();
    drop table reunification_followups;
    alter table reunifications drop column adult_person_id, drop column verification_id, drop column determination_id, drop column place, drop column receiving_body;
    drop table verifications, bid_panel_members, best_interests, placements, care_facilities, restitution_notes, restitution_measures, consular_notifications, child_links, child_files;
  `.execute(db);
}
