import type { Db, Tx } from '../platform/db/database.ts';
import { mxStateList } from '../platform/mx-states.ts';
import { CsvSyntaxError, parseCsv, stripBom, toCsvLine, unprotectFormula } from '../platform/csv.ts';
import { AppError } from '../platform/errors.ts';
import { placeOf } from './places.ts';
import { derivedId, HSDS_VERSION } from './hsds.service.ts';
import { languages } from './vocabularies.ts';
import type { ServiceStatus } from '../platform/db/directory-tables.ts';

/**
 * An HSDS data package of the published directory, so that a directory moves in and out of other HSDS
 * systems (docs/directory.md): one table per HSDS object with HSDS's field names, written as CSV files
 * with a `datapackage.json`, or as one JSON document holding the same tables. Import reads either
 * form back and writes every row, by id, as published entries of no institution (the editors of an
 * institution take them over by editing). Rows are sorted by id, so the same directory exports to the
 * same bytes.
 */

type Cell = string | number | null;
type Row = Record<string, Cell>;
export type Tables = Record<TableName, Row[]>;

/** HSDS tables with the fields Amparo keeps (and `service_capacity` from HSDS 3.1). */
export const TABLES = {
  organization: ['id', 'name', 'alternate_name', 'description', 'email', 'website'],
  location: ['id', 'location_type', 'organization_id', 'name', 'description', 'transportation', 'latitude', 'longitude', 'external_identifier', 'external_identifier_type'],
  address: ['id', 'location_id', 'address_1', 'city', 'state_province', 'postal_code', 'country', 'address_type'],
  service: ['id', 'organization_id', 'name', 'alternate_name', 'description', 'url', 'email', 'status', 'application_process', 'fees_description', 'eligibility_description', 'minimum_age', 'maximum_age', 'assured_date', 'alert', 'last_modified'],
  service_at_location: ['id', 'service_id', 'location_id', 'description'],
  schedule: ['id', 'service_id', 'freq', 'byday', 'opens_at', 'closes_at', 'description'],
  phone: ['id', 'service_id', 'number', 'type', 'description'],
  language: ['id', 'service_id', 'code', 'name'],
  cost_option: ['id', 'service_id', 'option', 'amount', 'currency'],
  required_document: ['id', 'service_id', 'document'],
  service_capacity: ['id', 'service_id', 'maximum', 'available', 'updated'],
  taxonomy: ['id', 'name', 'description', 'uri', 'version'],
  taxonomy_term: ['id', 'code', 'name', 'description', 'parent_id', 'taxonomy_id', 'language'],
  attribute: ['id', 'link_id', 'link_type', 'link_entity', 'taxonomy_term_id'],
} as const;
export type TableName = keyof typeof TABLES;
const tableNames = Object.keys(TABLES) as TableName[];

const byId = (a: Row, b: Row) => String(a.id).localeCompare(String(b.id));
const stateName = (code: string) => mxStateList.find((s) => s.code === code)?.name ?? code;

/** The published directory as HSDS tables. */
export async function exportTables(db: Db): Promise<Tables> {
  const services = await db.selectFrom('directory_services').selectAll().where('review_state', '=', 'published').execute();
  const ids = services.map((s) => s.id);
  const [links, schedules, phones, langs, terms, taxonomies, allTerms] = await Promise.all([
    ids.length ? db.selectFrom('directory_service_at_locations').selectAll().where('service_id', 'in', ids).execute() : Promise.resolve([]),
    ids.length ? db.selectFrom('directory_schedules').selectAll().where('service_id', 'in', ids).execute() : Promise.resolve([]),
    ids.length ? db.selectFrom('directory_phones').selectAll().where('service_id', 'in', ids).execute() : Promise.resolve([]),
    ids.length ? db.selectFrom('directory_service_languages').selectAll().where('service_id', 'in', ids).execute() : Promise.resolve([]),
    ids.length ? db.selectFrom('directory_service_terms').selectAll().where('service_id', 'in', ids).execute() : Promise.resolve([]),
    db.selectFrom('directory_taxonomies').selectAll().execute(),
    db.selectFrom('directory_taxonomy_terms').selectAll().execute(),
  ]);
  const locationIds = [...new Set(links.map((l) => l.location_id))];
  const locations = locationIds.length ? await db.selectFrom('directory_locations').selectAll().where('id', 'in', locationIds).execute() : [];
  const orgIds = [...new Set([...services.map((s) => s.organization_id), ...locations.map((l) => l.organization_id)])];
  const organizations = orgIds.length ? await db.selectFrom('directory_organizations').selectAll().where('id', 'in', orgIds).execute() : [];

  const tables: Tables = {
    organization: organizations.map((o) => ({ id: o.id, name: o.name, alternate_name: o.alternate_name, description: o.description, email: o.email, website: o.website })),
    location: locations.map((l) => ({ id: l.id, location_type: 'physical', organization_id: l.organization_id, name: l.name, description: l.description, transportation: l.transportation, latitude: l.latitude, longitude: l.longitude, external_identifier: l.municipality_code, external_identifier_type: l.municipality_code ? 'INEGI municipio' : null })),
    address: locations.map((l) => ({ id: derivedId(l.id, 'address'), location_id: l.id, address_1: l.address_1, city: l.city, state_province: stateName(l.state_code), postal_code: l.postal_code, country: 'MX', address_type: 'physical' })),
    service: services.map((s) => ({ id: s.id, organization_id: s.organization_id, name: s.name, alternate_name: s.alternate_name, description: s.description, url: s.url, email: s.email, status: s.status, application_process: s.application_process, fees_description: s.fees_description, eligibility_description: s.eligibility_description, minimum_age: s.minimum_age, maximum_age: s.maximum_age, assured_date: s.verified_on, alert: s.alert, last_modified: s.updated_at.toISOString() })),
    service_at_location: links.map((l) => ({ id: l.id, service_id: l.service_id, location_id: l.location_id, description: l.description })),
    schedule: schedules.map((s) => ({ id: s.id, service_id: s.service_id, freq: 'WEEKLY', byday: s.byday, opens_at: s.opens_at.slice(0, 5), closes_at: s.closes_at.slice(0, 5), description: s.description })),
    phone: phones.map((p) => ({ id: p.id, service_id: p.service_id, number: p.number, type: p.type, description: p.description })),
    language: langs.map((l) => ({ id: derivedId(l.service_id, 'language', l.code), service_id: l.service_id, code: l.code, name: languages[l.code as keyof typeof languages]?.en ?? l.code })),
    cost_option: services.filter((s) => s.free).map((s) => ({ id: derivedId(s.id, 'cost'), service_id: s.id, option: 'free', amount: 0, currency: 'MXN' })),
    required_document: services.flatMap((s) => s.required_documents.map((document, i) => ({ id: derivedId(s.id, 'document', String(i)), service_id: s.id, document, order: i }))).map(({ order: _order, ...row }) => row),
    service_capacity: services.filter((s) => s.capacity_maximum !== null || s.capacity_available !== null).map((s) => ({ id: derivedId(s.id, 'capacity'), service_id: s.id, maximum: s.capacity_maximum, available: s.capacity_available, updated: (s.capacity_updated_at ?? s.updated_at).toISOString() })),
    taxonomy: taxonomies.map((t) => ({ id: t.id, name: t.name, description: t.description, uri: t.uri, version: t.version })),
    taxonomy_term: allTerms.map((t) => ({ id: t.id, code: t.code, name: t.name, description: t.description, parent_id: t.parent_id, taxonomy_id: t.taxonomy_id, language: 'es' })),
    attribute: terms.map((t) => ({ id: t.id, link_id: t.service_id, link_type: 'service', link_entity: 'service', taxonomy_term_id: t.term_id })),
  };
  // Documents keep their order (it is the editor's); every other table is sorted by id.
  for (const name of tableNames) if (name !== 'required_document') tables[name].sort(byId);
  return tables;
}

export function tablesToJson(tables: Tables): string {
  return `${JSON.stringify({ hsds_version: HSDS_VERSION, ...tables }, null, 1)}\n`;
}

/** `datapackage.json` and one CSV per table (file name → text). */
export function tablesToCsv(tables: Tables): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of tableNames) files[`${name}.csv`] = [TABLES[name].join(','), ...tables[name].map((row) => toCsvLine(TABLES[name].map((f) => row[f] ?? null)))].join('\r\n') + '\r\n';
  files['datapackage.json'] = `${JSON.stringify({ name: 'amparo-directory', profile: 'tabular-data-package', hsds_version: HSDS_VERSION, resources: tableNames.map((name) => ({ name, path: `${name}.csv`, format: 'csv', mediatype: 'text/csv', schema: { fields: TABLES[name].map((f) => ({ name: f })) } })) }, null, 1)}\n`;
  return files;
}

const invalid = (reason: string) => new AppError('directory_invalid_package', { reason });

export function tablesFromJson(text: string): Tables {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw invalid('JSON');
  }
  if (!data || typeof data !== 'object') throw invalid('JSON');
  const record = data as Record<string, unknown>;
  return Object.fromEntries(tableNames.map((name) => {
    const rows = record[name] ?? [];
    if (!Array.isArray(rows)) throw invalid(name);
    return [name, rows.map((r) => Object.fromEntries(TABLES[name].map((f) => [f, (r as Row)[f] ?? null])))];
  })) as Tables;
}

const NUMERIC = new Set(['latitude', 'longitude', 'minimum_age', 'maximum_age', 'amount', 'maximum', 'available']);

export function tablesFromCsv(files: Record<string, string>): Tables {
  return Object.fromEntries(tableNames.map((name) => {
    const text = files[`${name}.csv`];
    if (text === undefined) return [name, []];
    let records;
    try {
      records = [...parseCsv(stripBom(text), ',')];
    } catch (error) {
      if (error instanceof CsvSyntaxError) throw invalid(`${name}.csv, line ${error.line}`);
      throw error;
    }
    const header = records.shift()?.fields ?? [];
    const rows = records.filter((r) => r.fields.some((f) => f !== '')).map((r) => {
      const row: Row = {};
      header.forEach((field, i) => {
        const raw = unprotectFormula(r.fields[i] ?? '');
        row[field] = raw === '' ? null : NUMERIC.has(field) ? Number(raw) : raw;
      });
      return row;
    });
    return [name, rows];
  })) as Tables;
}

const str = (v: Cell | undefined) => (v === null || v === undefined ? null : String(v));
const num = (v: Cell | undefined) => (v === null || v === undefined || Number.isNaN(Number(v)) ? null : Number(v));
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Writes the package's rows into the directory in one transaction: all or nothing. */
export async function importTables(db: Db, tables: Tables): Promise<{ organizations: number; services: number }> {
  for (const name of tableNames) for (const row of tables[name]) if (!UUID.test(String(row.id ?? ''))) throw invalid(`${name}: id ${String(row.id).slice(0, 40)}`);
  const addressOf = new Map(tables.address.map((a) => [String(a.location_id), a]));
  return db.transaction().execute(async (trx: Tx) => {
    for (const t of tables.taxonomy) {
      await trx.insertInto('directory_taxonomies').values({ id: String(t.id), name: str(t.name) ?? '', description: str(t.description) ?? '', uri: str(t.uri), version: str(t.version) }).onConflict((c) => c.column('id').doUpdateSet({ name: str(t.name) ?? '', description: str(t.description) ?? '', uri: str(t.uri), version: str(t.version) })).execute();
    }
    for (const t of tables.taxonomy_term) {
      const name = str(t.name) ?? '';
      const values = { taxonomy_id: str(t.taxonomy_id)!, code: str(t.code) ?? String(t.id), name, description: str(t.description) ?? '', parent_id: str(t.parent_id) };
      await trx.insertInto('directory_taxonomy_terms').values({ id: String(t.id), name_en: name, ...values }).onConflict((c) => c.column('id').doUpdateSet(values)).execute();
    }
    for (const o of tables.organization) {
      const values = { name: str(o.name) ?? '', alternate_name: str(o.alternate_name), description: str(o.description) ?? '', email: str(o.email), website: str(o.website) };
      await trx.insertInto('directory_organizations').values({ id: String(o.id), institution_id: null, ...values }).onConflict((c) => c.column('id').doUpdateSet(values)).execute();
    }
    for (const l of tables.location) {
      const address = addressOf.get(String(l.id));
      if (!address) throw invalid(`location ${String(l.id)} without an address`);
      const place = placeOf(str(l.external_identifier));
      const stateCode = place?.state ?? mxStateList.find((s) => s.name === str(address.state_province))?.code;
      if (!stateCode) throw invalid(`location ${String(l.id)}: state ${str(address.state_province)}`);
      const values = {
        organization_id: str(l.organization_id)!,
        name: str(l.name),
        description: str(l.description),
        transportation: str(l.transportation),
        address_1: str(address.address_1) ?? '',
        city: str(address.city) ?? '',
        municipality_code: place?.code ?? null,
        state_code: stateCode,
        postal_code: str(address.postal_code) ?? '',
        latitude: num(l.latitude),
        longitude: num(l.longitude),
      };
      await trx.insertInto('directory_locations').values({ id: String(l.id), ...values }).onConflict((c) => c.column('id').doUpdateSet(values)).execute();
    }
    const group = (rows: Row[]) => {
      const map = new Map<string, Row[]>();
      for (const r of rows) map.set(String(r.service_id), [...(map.get(String(r.service_id)) ?? []), r]);
      return (id: string) => map.get(id) ?? [];
    };
    const costs = group(tables.cost_option);
    const documents = group(tables.required_document);
    const capacities = group(tables.service_capacity);
    for (const s of tables.service) {
      const id = String(s.id);
      const capacity = capacities(id)[0];
      const modified = str(s.last_modified) ? new Date(String(s.last_modified)) : new Date();
      const status = str(s.status);
      const values = {
        organization_id: str(s.organization_id)!,
        name: str(s.name) ?? '',
        alternate_name: str(s.alternate_name),
        description: str(s.description) ?? '',
        url: str(s.url),
        email: str(s.email),
        status: (status === 'inactive' || status === 'defunct' || status === 'temporarily closed' ? status : 'active') as ServiceStatus,
        application_process: str(s.application_process),
        free: costs(id).some((c) => num(c.amount) === 0),
        fees_description: str(s.fees_description),
        eligibility_description: str(s.eligibility_description),
        minimum_age: num(s.minimum_age),
        maximum_age: num(s.maximum_age),
        required_documents: documents(id).map((d) => str(d.document) ?? '').filter(Boolean),
        alert: str(s.alert),
        capacity_maximum: capacity ? num(capacity.maximum) : null,
        capacity_available: capacity ? num(capacity.available) : null,
        capacity_updated_at: capacity && str(capacity.updated) ? new Date(String(capacity.updated)) : null,
        review_state: 'published' as const,
        verified_on: str(s.assured_date)?.slice(0, 10) ?? null,
        published_at: modified,
        updated_at: modified,
      };
      await trx.insertInto('directory_services').values({ id, institution_id: null, created_at: modified, ...values }).onConflict((c) => c.column('id').doUpdateSet(values)).execute();
      for (const table of ['directory_service_at_locations', 'directory_schedules', 'directory_phones', 'directory_service_languages', 'directory_service_terms'] as const) await trx.deleteFrom(table).where('service_id', '=', id).execute();
    }
    const insert = async <T extends 'directory_service_at_locations' | 'directory_schedules' | 'directory_phones' | 'directory_service_languages' | 'directory_service_terms'>(table: T, rows: Parameters<ReturnType<Tx['insertInto']>['values']>[0][]) => {
      if (rows.length) await trx.insertInto(table).values(rows as never).execute();
    };
    await insert('directory_service_at_locations', tables.service_at_location.map((l) => ({ id: String(l.id), service_id: str(l.service_id)!, location_id: str(l.location_id)!, description: str(l.description) })));
    await insert('directory_schedules', tables.schedule.map((s) => ({ id: String(s.id), service_id: str(s.service_id)!, byday: str(s.byday) ?? '', opens_at: str(s.opens_at) ?? '00:00', closes_at: str(s.closes_at) ?? '23:59', description: str(s.description) })));
    await insert('directory_phones', tables.phone.map((p) => ({ id: String(p.id), service_id: str(p.service_id)!, number: str(p.number) ?? '', type: (['voice', 'text', 'whatsapp', 'fax', 'hotline'].includes(str(p.type) ?? '') ? str(p.type) : 'voice') as 'voice', description: str(p.description) })));
    await insert('directory_service_languages', tables.language.map((l) => ({ id: String(l.id), service_id: str(l.service_id)!, code: str(l.code) ?? '' })));
    await insert('directory_service_terms', tables.attribute.filter((a) => str(a.link_entity) === 'service' || str(a.link_type) === 'service').map((a) => ({ id: String(a.id), service_id: str(a.link_id)!, term_id: str(a.taxonomy_term_id)! })));
    return { organizations: tables.organization.length, services: tables.service.length };
  });
}
