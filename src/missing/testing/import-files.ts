import { toCsvLine } from '../../platform/csv.ts';

/** CSV files in the import formats (docs/missing-import.md), for the import tests and `npm run bench -- import`. */

export const csv = (rows: (string | number | null)[][], delimiter: ',' | ';' = ',') => rows.map((r) => toCsvLine(r, delimiter)).join('\r\n') + '\r\n';

export const PEOPLE_HEADER = ['external_id', 'given_names', 'surname1', 'surname2', 'sex', 'date_of_birth', 'nationality', 'languages', 'documents', 'contact_phone'];
export const personRow = (id: string, over: Partial<Record<string, string>> = {}) => {
  const base: Record<string, string> = { external_id: id, given_names: 'José María', surname1: 'Núñez', surname2: 'Peña', sex: 'male', date_of_birth: '1990-04-12', nationality: 'HND|GTM', languages: 'spa', documents: 'passport:P123456:HND', contact_phone: '+504 9999 0000', ...over };
  return PEOPLE_HEADER.map((h) => base[h] ?? '');
};

export const REPORT_HEADER = ['external_id', 'given_names', 'surname1', 'surname2', 'sex', 'age_min', 'age_max', 'nationalities', 'marks', 'documents', 'last_seen_on', 'last_seen_state', 'reporter_name', 'reporter_relationship', 'reporter_phone', 'reporter_country', 'dna_reference_taken', 'dna_custodian'];
export const reportRow = (id: string, over: Partial<Record<string, string>> = {}) => {
  const base: Record<string, string> = {
    external_id: id,
    given_names: 'Ma. Guadalupe',
    surname1: 'Hernández',
    surname2: 'López',
    sex: 'female',
    age_min: '29',
    age_max: '31',
    nationalities: 'HND',
    marks: 'Tatuaje de una golondrina, y la palabra "Esperanza"\nen el antebrazo derecho',
    documents: 'passport:G1234567:HND|national_id:0801-1990-12345',
    last_seen_on: '2026-03-01',
    last_seen_state: '07',
    reporter_name: 'Carlos Hernández',
    reporter_relationship: 'sibling',
    reporter_phone: '+504 9999 0000',
    reporter_country: 'HND',
    dna_reference_taken: 'true',
    dna_custodian: 'Equipo Argentino de Antropología Forense',
    ...over,
  };
  return REPORT_HEADER.map((h) => base[h] ?? '');
};

export const FOUND_HEADER = ['external_id', 'condition', 'situation', 'given_names', 'surname1', 'sex', 'age_min', 'age_max', 'found_on', 'found_state', 'found_place', 'notes', 'custodian_file_number'];
export const foundRow = (id: string, over: Partial<Record<string, string>> = {}) => {
  const base: Record<string, string> = { external_id: id, condition: 'deceased', situation: 'remains', given_names: '', surname1: '', sex: 'unknown', age_min: '20', age_max: '40', found_on: '2025-11-02', found_state: '26', found_place: 'Desierto de Altar, km 40', notes: 'Acta =1/2025; hallazgo por colectivo', custodian_file_number: 'SEMEFO-2025-0042', ...over };
  return FOUND_HEADER.map((h) => base[h] ?? '');
};

const GIVEN = ['Juan', 'María', 'José Luis', 'Ana', 'Guadalupe', 'Carlos', 'Rosa', 'Pedro'];
const SURNAMES = ['Hernández', 'García', 'López', 'Martínez', 'Pérez', 'Gómez', 'Ramírez', 'Cruz'];

/** `rows` people with external ids S-0, S-1, … and names from a few common ones. */
export const largePeopleFile = (rows: number) =>
  csv([PEOPLE_HEADER, ...Array.from({ length: rows }, (_, i) => personRow(`S-${i}`, { given_names: GIVEN[i % 8]!, surname1: SURNAMES[i % 7]!, surname2: SURNAMES[(i * 3) % 8]! }))]);

/** `rows` missing-person reports with external ids S-0, S-1, … */
export const largeReportsFile = (rows: number) => csv([REPORT_HEADER, ...Array.from({ length: rows }, (_, i) => reportRow(`S-${i}`, { given_names: GIVEN[i % 8]!, surname1: SURNAMES[i % 7]! }))]);
