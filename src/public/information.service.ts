import { sql } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import { appendAudit, PLATFORM_CHAIN } from '../platform/audit/audit.ts';
import { AppError, notFound } from '../platform/errors.ts';
import { requireCapability, type Actor } from '../platform/auth/policy.ts';
import { DEFAULT_PAGES, DEFAULT_REVIEWED_ON } from './defaults.ts';

/**
 * Information pages: a slug and its versions. An edit never changes a version: it adds the next one,
 * so every earlier text stays readable (who wrote it, when, and the note they left). The public sees
 * the newest.
 */
export type PageVersion = {
  version: number;
  title: string;
  summary: string;
  body: string;
  sources: string;
  reviewed_on: string;
  note: string | null;
  created_at: Date;
  created_by: string | null;
  created_by_name: string | null;
};
export type InformationPage = PageVersion & { slug: string; versions: number };
export type PageEdit = Pick<PageVersion, 'title' | 'summary' | 'body' | 'sources' | 'reviewed_on'> & { note?: string | null | undefined; base_version: number };

/** Writes the default pages that are missing (a new installation; a slug added by a new release). */
async function ensureDefaultPages(db: Db): Promise<void> {
  for (const [position, page] of DEFAULT_PAGES.entries()) {
    await db.transaction().execute(async (trx) => {
      const inserted = await trx.insertInto('information_pages').values({ slug: page.slug, position }).onConflict((oc) => oc.column('slug').doNothing()).returning('id').executeTakeFirst();
      if (!inserted) return;
      await trx.insertInto('information_page_versions').values({ page_id: inserted.id, version: 1, title: page.title, summary: page.summary, body: page.body, sources: page.sources, reviewed_on: DEFAULT_REVIEWED_ON, note: null, created_by: null }).execute();
    });
  }
}

/**
 * The defaults are written on the first read of each server's life rather than at start, so that
 * assembling the server (the OpenAPI generator, tests) needs no database.
 */
const defaultsWritten = new WeakMap<Db, Promise<void>>();
function withDefaults(db: Db): Promise<void> {
  let done = defaultsWritten.get(db);
  if (!done) {
    done = ensureDefaultPages(db).catch((error: unknown) => {
      defaultsWritten.delete(db);
      throw error;
    });
    defaultsWritten.set(db, done);
  }
  return done;
}

function latest(db: Db) {
  return db
    .selectFrom('information_pages as p')
    .innerJoin('information_page_versions as v', 'v.page_id', 'p.id')
    .leftJoin('users as u', 'u.id', 'v.created_by')
    .select(['p.slug', 'p.position', 'v.version', 'v.title', 'v.summary', 'v.body', 'v.sources', 'v.reviewed_on', 'v.note', 'v.created_at', 'v.created_by', 'u.display_name as created_by_name'])
    .select(sql<number>`(select max(version) from information_page_versions w where w.page_id = p.id)`.as('versions'))
    .where('v.version', '=', sql<number>`(select max(version) from information_page_versions w where w.page_id = p.id)`);
}

export async function listPages(db: Db): Promise<InformationPage[]> {
  await withDefaults(db);
  const rows = await latest(db).orderBy('p.position').orderBy('p.slug').execute();
  return rows.map(({ position: _position, ...row }) => row);
}

export async function getPage(db: Db, slug: string): Promise<InformationPage | null> {
  await withDefaults(db);
  const row = await latest(db).where('p.slug', '=', slug).executeTakeFirst();
  if (!row) return null;
  const { position: _position, ...page } = row;
  return page;
}

export async function listVersions(db: Db, actor: Actor, slug: string): Promise<PageVersion[]> {
  requireCapability(actor, 'information.edit');
  await withDefaults(db);
  const rows = await db
    .selectFrom('information_page_versions as v')
    .innerJoin('information_pages as p', 'p.id', 'v.page_id')
    .leftJoin('users as u', 'u.id', 'v.created_by')
    .select(['v.version', 'v.title', 'v.summary', 'v.body', 'v.sources', 'v.reviewed_on', 'v.note', 'v.created_at', 'v.created_by', 'u.display_name as created_by_name'])
    .where('p.slug', '=', slug)
    .orderBy('v.version', 'desc')
    .execute();
  if (!rows.length) throw notFound();
  return rows;
}

/**
 * A new version of a page. `base_version` is the version the editor started from: if someone saved
 * another in between, the edit is refused (409) rather than silently replacing their text.
 */
export async function editPage(db: Db, actor: Actor, slug: string, edit: PageEdit): Promise<InformationPage> {
  requireCapability(actor, 'information.edit');
  await withDefaults(db);
  await db.transaction().execute(async (trx) => {
    const page = await trx.selectFrom('information_pages').select('id').where('slug', '=', slug).forUpdate().executeTakeFirst();
    if (!page) throw notFound();
    const { current } = await trx.selectFrom('information_page_versions').select((eb) => eb.fn.max('version').as('current')).where('page_id', '=', page.id).executeTakeFirstOrThrow();
    if (current !== edit.base_version) throw new AppError('information_page_changed', { version: current ?? 0 });
    const version = (current ?? 0) + 1;
    await trx
      .insertInto('information_page_versions')
      .values({ page_id: page.id, version, title: edit.title, summary: edit.summary, body: edit.body, sources: edit.sources, reviewed_on: edit.reviewed_on, note: edit.note ?? null, created_by: actor.userId })
      .execute();
    await appendAudit(trx, { institutionId: PLATFORM_CHAIN, actorUserId: actor.userId, action: 'information.page_edited', recordType: 'information_page', recordId: page.id, ip: actor.ip, detail: { slug, version } });
  });
  return (await getPage(db, slug))!;
}
