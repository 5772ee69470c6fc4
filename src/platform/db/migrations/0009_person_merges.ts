import { sql, type Kysely } from 'kysely';

/**
 * De-duplication of people (src/people/merge.service.ts, docs/search.md "De-duplication and merge").
 *
 * - `people.merged_into`: a merged duplicate keeps its row (and its id, which other institutions' cases
 *   and the audit log may name) but points at the record that survives; it leaves searches, name keys
 *   and proposals.
 * - `person_merges`: one row per merge, with exactly which rows were moved to the survivor (ids per
 *   table) and the rows that had to be set aside because the survivor already had one for the same
 *   case (kept whole, put back on undo); who merged, when and why (encrypted), and who undid it.
 * - `person_pair_dismissals`: "not the same person", recorded once per pair (a < b), never proposed again.
 * - `person_duplicate_candidates`: proposed pairs with their match weight, kept up to date
 *   incrementally: a trigger marks every person inserted or changed in a compared field in
 *   `person_duplicate_pending`, and the proposals of an institution first score its pending people
 *   against the people sharing a blocking key with them. No request compares every pair.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table people add column merged_into uuid references people(id);
    alter table people add constraint people_merged_into_other check (merged_into <> id);
    create index people_merged_into on people (merged_into) where merged_into is not null;

    create table person_merges (
      id uuid primary key default gen_random_uuid(),
      institution_id uuid not null references institutions(id),
      survivor_id uuid not null references people(id),
      duplicate_id uuid not null references people(id),
      reason_enc text not null,
      probability double precision,
      moved jsonb not null,
      set_aside jsonb not null default '{}'::jsonb,
      case_ids uuid[] not null default '{}',
      merged_by uuid not null references users(id),
      merged_at timestamptz not null default now(),
      undone_by uuid references users(id),
      undone_at timestamptz,
      undo_reason_enc text,
      check (survivor_id <> duplicate_id),
      check ((undone_at is null) = (undone_by is null))
    );
    create index person_merges_institution on person_merges (institution_id, merged_at desc, id);
    create unique index person_merges_active_duplicate on person_merges (duplicate_id) where undone_at is null;
    create index person_merges_survivor on person_merges (survivor_id);

    create table person_pair_dismissals (
      institution_id uuid not null references institutions(id),
      person_a uuid not null references people(id),
      person_b uuid not null references people(id),
      dismissed_by uuid not null references users(id),
      dismissed_at timestamptz not null default now(),
      primary key (institution_id, person_a, person_b),
      check (person_a < person_b)
    );

    create table person_duplicate_candidates (
      institution_id uuid not null references institutions(id),
      person_a uuid not null references people(id) on delete cascade,
      person_b uuid not null references people(id) on delete cascade,
      weight real not null,
      computed_at timestamptz not null default now(),
      primary key (institution_id, person_a, person_b),
      check (person_a < person_b)
    );
    create index person_duplicate_candidates_rank on person_duplicate_candidates (institution_id, weight desc, person_a, person_b);
    create index person_duplicate_candidates_a on person_duplicate_candidates (person_a);
    create index person_duplicate_candidates_b on person_duplicate_candidates (person_b);

    create table person_duplicate_pending (
      person_id uuid primary key references people(id) on delete cascade,
      institution_id uuid not null
    );
    create index person_duplicate_pending_institution on person_duplicate_pending (institution_id);

    create function amparo_mark_person_duplicate_scan() returns trigger language plpgsql as $$
    begin
      insert into person_duplicate_pending (person_id, institution_id) values (new.id, new.institution_id)
        on conflict (person_id) do update set institution_id = excluded.institution_id;
      return null;
    end $$;

    create trigger people_duplicate_scan
      after insert or update of given_names, surname1, surname2, other_names, sex, date_of_birth, estimated_age,
        age_estimated_on, nationalities, document_keys, institution_id, merged_into
      on people for each row execute function amparo_mark_person_duplicate_scan();

    insert into person_duplicate_pending (person_id, institution_id) select id, institution_id from people;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop trigger people_duplicate_scan on people;
    drop function amparo_mark_person_duplicate_scan();
    drop table person_duplicate_pending, person_duplicate_candidates, person_pair_dismissals, person_merges;
    alter table people drop column merged_into;
  `.execute(db);
}
