import { sql, type Kysely } from 'kysely';

// Blocking keys of the name-matching engine (src/search, docs/search.md). The keys are computed in
// TypeScript, so the migration does not compute them (a migration must not depend on application code
// that changes after it): it marks every person already registered as pending, and the search computes
// the pending keys of an institution before it runs (refreshPendingNameKeys). A trigger marks every
// person inserted or renamed, so that rows written outside person.service get their keys the same way.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table person_name_keys (
      institution_id uuid not null references institutions(id),
      key text not null,
      person_id uuid not null references people(id) on delete cascade,
      primary key (institution_id, key, person_id)
    );
    create index person_name_keys_person on person_name_keys (person_id);

    create table person_name_keys_pending (
      person_id uuid primary key references people(id) on delete cascade,
      institution_id uuid not null
    );
    create index person_name_keys_pending_institution on person_name_keys_pending (institution_id);

    create function amparo_mark_person_name_keys() returns trigger language plpgsql as $$
    begin
      insert into person_name_keys_pending (person_id, institution_id) values (new.id, new.institution_id)
        on conflict (person_id) do update set institution_id = excluded.institution_id;
      return null;
    end $$;

    create trigger people_name_keys after insert or update of given_names, surname1, surname2, other_names, institution_id
      on people for each row execute function amparo_mark_person_name_keys();

    insert into person_name_keys_pending (person_id, institution_id) select id, institution_id from people;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop trigger people_name_keys on people;
    drop function amparo_mark_person_name_keys();
    drop table person_name_keys_pending;
    drop table person_name_keys;
  `.execute(db);
}
