import { sql, type Kysely } from 'kysely';

/**
 * `missing_pair_odds` is written by every matching batch (a national import writes about a million rows)
 * and its two foreign keys cost two look-ups and two row locks on the records per row written: the odds
 * insert took three times as long with them (bench/RESULTS.md, 2026-12-07), inside the section that
 * batches take in turn. The table is derived data: every row is rewritten when its records are matched
 * again. Records are never deleted by Amparo (they are closed or identified), so the keys only guarded
 * against an operator deleting by hand; a trigger now removes the odds of deleted records instead, at
 * the cost of one statement per delete. (A sharded deployment cannot keep these keys either: the table
 * is distributed by report, found records by their own id.)
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table missing_pair_odds drop constraint missing_pair_odds_report_id_fkey, drop constraint missing_pair_odds_found_id_fkey;
    create function amparo_forget_pair_odds() returns trigger language plpgsql as $$
    begin
      if tg_table_name = 'missing_reports' then
        delete from missing_pair_odds where report_id in (select id from gone);
      else
        delete from missing_pair_odds where found_id in (select id from gone);
      end if;
      return null;
    end $$;
    create trigger missing_reports_forget_pair_odds after delete on missing_reports
      referencing old table as gone for each statement execute function amparo_forget_pair_odds();
    create trigger found_records_forget_pair_odds after delete on found_records
      referencing old table as gone for each statement execute function amparo_forget_pair_odds();
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop trigger missing_reports_forget_pair_odds on missing_reports;
    drop trigger found_records_forget_pair_odds on found_records;
    drop function amparo_forget_pair_odds();
    delete from missing_pair_odds o where not exists (select 1 from missing_reports r where r.id = o.report_id)
      or not exists (select 1 from found_records f where f.id = o.found_id);
    alter table missing_pair_odds
      add constraint missing_pair_odds_report_id_fkey foreign key (report_id) references missing_reports(id) on delete cascade,
      add constraint missing_pair_odds_found_id_fkey foreign key (found_id) references found_records(id) on delete cascade;
  `.execute(db);
}
