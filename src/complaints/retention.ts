import { sql } from 'kysely';
import type { ComplaintStatus, Db } from '../platform/db/database.ts';
import { appendAudit, PLATFORM_CHAIN } from '../platform/audit/audit.ts';
import { readSettings } from './settings.service.ts';
import { localDate } from '../platform/dates.ts';

export type RetentionReport = { deleted: number; held: number; dryRun: boolean; byStatus: Record<string, number> };

const YEAR_MS = 365.25 * 24 * 60 * 60 * 1000;

/**
 * Reduces complaints whose retention period has passed to their statistical record (kind, channel,
 * state, place and authority type, status, outcome, dates) and deletes everything else: narrative,
 * contact, files, messages, notes, transmissions and the custody chain. A complaint under legal hold
 * is never deleted. Each complaint goes in its own transaction; the deletion is audited (ids only).
 */
export async function applyRetention(db: Db, options: { now?: Date; dryRun?: boolean; log?: (line: string) => void } = {}): Promise<RetentionReport> {
  const now = options.now ?? new Date();
  const settings = await readSettings(db);
  const report: RetentionReport = { deleted: 0, held: 0, dryRun: options.dryRun ?? false, byStatus: {} };
  for (const [status, years] of Object.entries(settings.retention_years) as Array<[ComplaintStatus, number | null]>) {
    if (!years) continue;
    const cutoff = new Date(now.getTime() - years * YEAR_MS);
    const due = await db.selectFrom('complaints').select(['id', 'legal_hold']).where('status', '=', status).where('status_changed_at', '<', cutoff).execute();
    report.held += due.filter((d) => d.legal_hold).length;
    const ids = due.filter((d) => !d.legal_hold).map((d) => d.id);
    report.byStatus[status] = ids.length;
    if (options.dryRun) {
      report.deleted += ids.length;
      continue;
    }
    for (const id of ids) {
      const done = await db.transaction().execute(async (trx) => {
        // Re-read under lock: a legal hold set meanwhile wins.
        const c = await trx.selectFrom('complaints').selectAll().where('id', '=', id).where('legal_hold', '=', false).where('status', '=', status).forUpdate().executeTakeFirst();
        if (!c) return false;
        await trx
          .insertInto('complaint_statistics_archive')
          .values({
            institution_id: c.institution_id,
            kind: c.kind,
            channel: c.channel,
            state_code: c.state_code,
            place_type: c.place_type,
            authority_type: c.authority_type,
            anonymous: c.anonymous,
            status: c.status,
            not_admitted_reason: c.not_admitted_reason,
            outcome: c.outcome,
            // Days in the deployment's calendar, as the live complaints are counted (src/complaints/statistics.ts).
            received_on: localDate(c.received_at),
            resolved_on: c.resolved_at ? localDate(c.resolved_at) : null,
            closed_on: c.closed_at ? localDate(c.closed_at) : null,
          })
          .execute();
        await sql`set local amparo.retention = 'on'`.execute(trx);
        await trx.deleteFrom('complaint_custody').where('complaint_id', '=', id).execute();
        await trx.deleteFrom('complaint_attachments').where('complaint_id', '=', id).execute();
        await trx.deleteFrom('complaint_messages').where('complaint_id', '=', id).execute();
        await trx.deleteFrom('complaint_notes').where('complaint_id', '=', id).execute();
        await trx.deleteFrom('complaint_transmissions').where('complaint_id', '=', id).execute();
        await trx.deleteFrom('complaints').where('id', '=', id).execute();
        await appendAudit(trx, { institutionId: c.institution_id ?? PLATFORM_CHAIN, actorUserId: null, action: 'complaint.deleted_by_retention', recordType: 'complaint', recordId: id, ip: null, detail: { status: c.status, retention_years: years } });
        return true;
      });
      if (done) report.deleted++;
    }
  }
  options.log?.(`Complaint retention${report.dryRun ? ' (dry run)' : ''}: ${report.deleted} reduced to statistics, ${report.held} kept under legal hold.`);
  return report;
}
