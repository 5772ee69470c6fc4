import { sql, type Kysely } from 'kysely';

// The `reunifications` table of migration 0005 was written only by the statistics seed scenario;
// since 0028 the child-protection module records reunifications in it with the verification and the
// determination behind them. It becomes the module's own table, `child_reunifications`: rows without a
// verification (counted, never done through the module) go, and a reunification now always has its
// child's file, adult, verification, determination and place. The statistics read it from here.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    delete from reunifications r where r.verification_id is null
      and not exists (select 1 from reunification_followups f where f.reunification_id = r.id);
    alter table reunifications rename to child_reunifications;
    alter index reunifications_institution rename to child_reunifications_institution;
    alter table child_reunifications
      alter column adult_person_id set not null,
      alter column verification_id set not null,
      alter column determination_id set not null,
      alter column place set not null,
      add constraint child_reunifications_file foreign key (case_id) references child_files(case_id);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table child_reunifications
      drop constraint child_reunifications_file,
      alter column adult_person_id drop not null,
      alter column verification_id drop not null,
      alter column determination_id drop not null,
      alter column place drop not null;
    alter index child_reunifications_institution rename to reunifications_institution;
    alter table child_reunifications rename to reunifications;
  `.execute(db);
}
