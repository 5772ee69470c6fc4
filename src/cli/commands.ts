import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { sql } from 'kysely';
import { loadConfig, processConfig, type Config } from '../platform/config.ts';
import { openRuntime, type Runtime } from '../platform/runtime.ts';
import { AppError } from '../platform/errors.ts';
import { translate } from '../platform/i18n/messages.ts';
import type { Db, Role } from '../platform/db/database.ts';
import { PLATFORM_CHAIN } from '../platform/audit/audit.ts';
import { checkAuditIntegrity, makeCheckpoint, parseCheckpoint, type AuditCheckpoint } from '../platform/audit/seal.ts';
import { FieldCipher, addKeyToRing, loadKeyRing, type KeyRingFile } from '../platform/crypto/field-encryption.ts';
import { createInstitution, creatableInstitutionTypes, listInstitutions, unitTypes } from '../institutions/institution.service.ts';
import { createUser, resetPassword, roles, setMembership } from '../users/user.service.ts';
import { loadDemoIfEmpty } from '../demo/demo.ts';
import { applyRetention } from '../complaints/retention.ts';
import { rotateSigningKey } from '../complaints/signing.ts';
import { loadSeedScenario } from '../statistics/seed-scenario.ts';
import { countNotCurrent, reencryptAll } from './reencrypt.ts';
import { BackupError, checkBackup, writeBackup } from '../platform/backup/backup.ts';
import { restoreInstallation } from '../platform/backup/restore.ts';
import { REJECTS_COLUMN, exportCsv, exportKinds, importKinds, importRecords, type ExportKind, type ImportKind, type ImportProgress, type ImportReport } from '../missing/import.ts';
import { parseCsvStream, toCsvLine, unprotectFormula } from '../platform/csv.ts';
import { createHash } from 'node:crypto';
import { exportTables, importTables, tablesFromCsv, tablesFromJson, tablesToCsv, tablesToJson } from '../directory/package.ts';

/**
 * `amparo <command>`: the operator's tools, on the same database and keys as the server. Output is
 * for people and scripts: results on stdout, progress and errors on stderr, exit code 0 on success,
 * 1 on failure (or a broken audit chain), 2 on a usage error. Nothing here prints personal data of
 * the people Amparo protects: only institution codes, staff accounts and counts.
 */

/** Where the CLI writes; `env` replaces the process's environment (tests). */
/** `progress`: redraws one status line in place (a terminal); without it progress goes to `err` now and then. */
export type Io = { out: (line: string) => void; err: (line: string) => void; progress?: (line: string) => void; env?: NodeJS.ProcessEnv };

export class UsageError extends Error {}

type Options = Record<string, { type: 'string' | 'boolean'; description: string }>;

type Command = {
  usage: string;
  summary: string;
  options: Options;
  details?: string;
  /** Takes arguments that are not options (a file to read). */
  positionals?: boolean;
  run: (ctx: { values: Record<string, string | boolean | undefined>; positionals: string[]; io: Io; config: Config; open: () => Promise<Runtime> }) => Promise<number>;
};

const text = (description: string) => ({ type: 'string' as const, description });

// ------------------------------------------------------------------------------------------------
// Helpers

function required(values: Record<string, string | boolean | undefined>, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`--${name} is required.`);
  return value.trim();
}

function optional(values: Record<string, string | boolean | undefined>, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

async function institutionByCode(db: Db, code: string) {
  const row = await db.selectFrom('institutions').select(['id', 'code', 'name']).where('code', '=', code.toUpperCase()).executeTakeFirst();
  if (!row) throw new CliError(`No institution with code ${code.toUpperCase()}. See \`amparo institution list\`.`);
  return row;
}

async function userByEmail(db: Db, email: string) {
  const row = await db
    .selectFrom('users')
    .select(['id', 'email', 'display_name'])
    .where(({ fn }) => fn('lower', ['email']), '=', email.trim().toLowerCase())
    .executeTakeFirst();
  if (!row) throw new CliError(`No user with email ${email}.`);
  return row;
}

/** Whether a command-line word is one of a fixed list (and so has the list's type). */
function oneOf<T extends string>(list: readonly T[], value: string): value is T {
  return (list as readonly string[]).includes(value);
}

/** The word, if it is one of the list; a usage error naming the flag otherwise. */
function choice<T extends string>(list: readonly T[], value: string, flag: string): T {
  if (!oneOf(list, value)) throw new UsageError(`--${flag} must be one of: ${list.join(', ')}.`);
  return value;
}

const parseRole = (value: string): Role => choice(roles, value, 'role');

/** Fixed-width columns, for lists meant to be read. */
function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd());
}

export class CliError extends Error {}

function backupPassphrase(values: Record<string, string | boolean | undefined>, config: Config): string {
  const file = optional(values, 'passphrase-file');
  const passphrase = file ? (fs.readFileSync(file, 'utf8').split('\n')[0] ?? '').trim() : config.backupPassphrase;
  if (!passphrase) throw new UsageError('Give the passphrase with --passphrase-file or AMPARO_BACKUP_PASSPHRASE.');
  if (passphrase.length < 12) throw new UsageError('The passphrase must have at least 12 characters.');
  return passphrase;
}

function writeKeyFile(file: string, ring: KeyRingFile) {
  // Write next to it, then rename: a crash never leaves a half-written key file.
  const temporary = `${file}.${process.pid}.tmp`;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(temporary, JSON.stringify(ring, null, 2) + '\n', { mode: 0o600 });
  fs.renameSync(temporary, file);
}

/**
 * `import people|reports|found` and `export reports|found` (docs/missing-import.md). The command line
 * acts as the system for the institution named: records have no creating user, the audit entry says `via: cli`.
 * The file is streamed (any size, one pass) into one transaction, with a progress bar and rate on stderr.
 * All or nothing by default: a rejected file prints its report (row, external_id, column, message: no
 * cell values). `--skip-invalid` loads the valid rows and writes the others, with their reasons in an
 * extra column, to a CSV that can be corrected and imported again as it is.
 */
function importCommand(kind: ImportKind): Command {
  return {
    usage: `import ${kind} --institution CODE --file ${kind}.csv [--dry-run] [--skip-invalid [--rejects rejected.csv]] [--language es|en] [--report report.json]`,
    summary: `imports ${kind === 'people' ? 'people' : kind === 'reports' ? 'missing-person reports' : 'found records'} from a CSV file of any size, all rows or none (or the valid ones)`,
    details: 'Formats and the error report: docs/missing-import.md.',
    options: {
      institution: text('institution code'),
      file: text('the CSV file (UTF-8, comma or semicolon, header row)'),
      'dry-run': { type: 'boolean', description: 'validate only, write nothing' },
      'skip-invalid': { type: 'boolean', description: 'load the valid rows; write the others with their reasons to --rejects' },
      rejects: text('where --skip-invalid writes the rejected rows (default: FILE.rejected.csv)'),
      language: text('language of the error messages: en (default) or es'),
      report: text('also write the whole error report to this JSON file'),
    },
    run: async ({ values, io, open }) => {
      const file = required(values, 'file');
      const language = optional(values, 'language') ?? 'en';
      if (language !== 'es' && language !== 'en') throw new UsageError('--language must be es or en.');
      const reportFile = optional(values, 'report');
      const skipInvalid = values['skip-invalid'] === true;
      const rejectsFile = optional(values, 'rejects') ?? `${file.replace(/\.csv$/i, '')}.rejected.csv`;
      if (optional(values, 'rejects') && !skipInvalid) throw new UsageError('--rejects goes with --skip-invalid.');
      let size: number;
      try {
        size = fs.statSync(file).size;
      } catch {
        throw new CliError(`Cannot read ${file}.`);
      }
      const runtime = await open();
      let rejects: fs.WriteStream | null = null;
      try {
        const institution = await institutionByCode(runtime.db, required(values, 'institution'));
        const dryRun = values['dry-run'] === true;
        const hash = createHash('sha256');
        let read = 0;
        async function* chunks() {
          for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) {
            const bytes = chunk as Buffer;
            hash.update(bytes);
            read += bytes.length;
            yield bytes;
          }
        }
        const bar = progressBar(io, size);
        try {
          const result = await importRecords(runtime.db, runtime.cipher, { system: 'cli', institutionId: institution.id }, kind, parseCsvStream(chunks()), {
            dryRun,
            language,
            skipInvalid,
            limits: { reportRows: Number.MAX_SAFE_INTEGER },
            fileSha256: () => hash.digest('hex'),
            onProgress: (p) => bar.update(read, p),
            onRejected: async (row, header) => {
              if (!rejects) {
                rejects = fs.createWriteStream(rejectsFile, { mode: 0o600 });
                rejects.write(`\uFEFF${toCsvLine([...header, REJECTS_COLUMN])}\r\n`);
              }
              const reasons = row.errors.map((e) => `${e.column ?? 'row'}: ${e.message}`).join(' | ');
              // Cells as read (a formula guard taken off, so that writing does not double it).
              if (!rejects.write(`${toCsvLine([...row.fields.map(unprotectFormula), reasons])}\r\n`)) await new Promise<void>((resolve) => rejects!.once('drain', () => resolve()));
            },
          });
          bar.done(read, result);
          if (dryRun) io.out(result.rejected ? `Dry run: ${result.total_rows - result.rejected} of ${result.total_rows} rows of ${file} are valid; nothing was written.` : `Dry run: all ${result.total_rows} rows of ${file} are valid; nothing was written.`);
          else io.out(`Imported ${result.rows} ${kind} into ${institution.code}.`);
          if (result.rejected) io.out(`${result.rejected} rows rejected, with their reasons, in ${rejectsFile}: correct them there and import that file again.`);
          return 0;
        } catch (error) {
          if (!(error instanceof AppError) || error.code !== 'import_rejected') throw error;
          const report = error.details as ImportReport;
          if (reportFile) fs.writeFileSync(reportFile, JSON.stringify(report, null, 2) + '\n', { mode: 0o600 });
          io.err(translate(language, error.code, error.params));
          const lines = report.rows.flatMap((r) => r.errors.map((e) => `  row ${r.row} (line ${r.line}${r.external_id ? `, external_id ${r.external_id}` : ''})${e.column ? ` ${e.column}` : ''}: ${e.message}`));
          for (const line of lines.slice(0, 200)) io.err(line);
          if (lines.length > 200) io.err(`  … and ${lines.length - 200} more${reportFile ? ` (all in ${reportFile})` : '; use --report FILE for all of them'}.`);
          io.err('Nothing was written. --skip-invalid loads the valid rows and writes the others to a file.');
          return 1;
        }
      } finally {
        const open = rejects as fs.WriteStream | null;
        if (open) await new Promise<void>((resolve) => open.end(() => resolve()));
        await runtime.close();
      }
    },
  };
}

/**
 * Progress of an import on stderr: a bar of the bytes read, rows, rate and rejected rows; redrawn in
 * place on a terminal (io.progress), else a line at most every 10 seconds.
 */
function progressBar(io: Io, size: number) {
  const started = Date.now();
  let last = 0;
  const line = (bytes: number, p: ImportProgress) => {
    const share = size ? Math.min(1, bytes / size) : 1;
    const filled = Math.round(share * 20);
    const seconds = Math.max(0.001, (Date.now() - started) / 1000);
    return `[${'#'.repeat(filled)}${'-'.repeat(20 - filled)}] ${String(Math.floor(share * 100)).padStart(3)} % ${p.rows.toLocaleString('en')} rows, ${Math.round(p.rows / seconds).toLocaleString('en')} rows/s${p.rejected ? `, ${p.rejected.toLocaleString('en')} rejected` : ''}`;
  };
  return {
    update(bytes: number, p: ImportProgress) {
      const now = Date.now();
      if (now - last < (io.progress ? 200 : 10_000)) return;
      last = now;
      (io.progress ?? io.err)(line(bytes, p));
    },
    done(bytes: number, result: { total_rows: number; rows: number; rejected: number }) {
      const text = `${line(bytes, { rows: result.total_rows, imported: result.rows, rejected: result.rejected })} in ${((Date.now() - started) / 1000).toFixed(1)} s`;
      if (io.progress) io.progress(text);
      io.err(io.progress ? '' : text);
    },
  };
}

function exportCommand(kind: ExportKind): Command {
  return {
    usage: `export ${kind} --institution CODE --file ${kind}.csv`,
    summary: `writes the institution's ${kind === 'reports' ? 'missing-person reports' : 'found records'} to a CSV file in the import format`,
    details: 'The file holds personal data: it is written readable by its owner only.',
    options: { institution: text('institution code'), file: text('the CSV file to write') },
    run: async ({ values, io, open }) => {
      const file = required(values, 'file');
      const runtime = await open();
      try {
        const institution = await institutionByCode(runtime.db, required(values, 'institution'));
        const { csv, rows } = await exportCsv(runtime.db, runtime.cipher, { system: 'cli', institutionId: institution.id }, kind);
        fs.writeFileSync(file, csv, { mode: 0o600 });
        io.out(`Exported ${rows} ${kind} of ${institution.code} to ${file}.`);
        return 0;
      } finally {
        await runtime.close();
      }
    },
  };
}

// ------------------------------------------------------------------------------------------------
// Commands

const commands: Record<string, Command> = {
  'institution create': {
    usage: 'institution create --code CEAV --name "…" --type federal_agency [--unit-type office] [--country MEX] [--state 09] [--municipality 09015] [--parent CODE] [--require-mfa]',
    summary: 'registers an institution',
    details: `types: ${creatableInstitutionTypes.join(', ')}; unit types: ${unitTypes.join(', ')}`,
    options: {
      code: text('2-12 capital letters or digits'),
      name: text('full name'),
      type: text('institution type'),
      'unit-type': text('unit type'),
      country: text('ISO 3166-1 alpha-3, default MEX'),
      state: text('INEGI state code, 01-32'),
      municipality: text('INEGI municipality code, 5 digits'),
      parent: text('code of the parent institution'),
      'require-mfa': { type: 'boolean', description: 'users must set up a second factor' },
    },
    run: async ({ values, io, open }) => {
      const code = required(values, 'code').toUpperCase();
      const name = required(values, 'name');
      const type = required(values, 'type');
      const unitType = optional(values, 'unit-type');
      const country = optional(values, 'country')?.toUpperCase();
      const state = optional(values, 'state');
      const municipality = optional(values, 'municipality');
      if (!/^[A-Z0-9]{2,12}$/.test(code)) throw new UsageError('--code must be 2-12 capital letters or digits.');
      if (name.length < 2 || name.length > 200) throw new UsageError('--name must be 2-200 characters.');
      const institutionType = choice(creatableInstitutionTypes, type, 'type');
      const institutionUnitType = unitType === undefined ? null : choice(unitTypes, unitType, 'unit-type');
      if (country && !/^[A-Z]{3}$/.test(country)) throw new UsageError('--country must be an ISO 3166-1 alpha-3 code, e.g. MEX or USA.');
      if (state && !/^(0[1-9]|[12][0-9]|3[0-2])$/.test(state)) throw new UsageError('--state must be an INEGI state code, 01-32.');
      if (municipality && (!/^\d{5}$/.test(municipality) || (state && !municipality.startsWith(state)))) throw new UsageError('--municipality must be a 5-digit INEGI code starting with the state code.');
      const runtime = await open();
      try {
        const parent = optional(values, 'parent') ? await institutionByCode(runtime.db, optional(values, 'parent')!) : null;
        const row = await createInstitution(runtime.db, null, {
          code,
          name,
          type: institutionType,
          unit_type: institutionUnitType,
          ...(country ? { country } : {}),
          state_code: state ?? null,
          municipality_code: municipality ?? null,
          parent_id: parent?.id ?? null,
          require_mfa: values['require-mfa'] === true,
        });
        io.out(`Created institution ${row.code} (${row.id}).`);
        return 0;
      } finally {
        await runtime.close();
      }
    },
  },

  'institution list': {
    usage: 'institution list',
    summary: 'lists institutions',
    options: {},
    run: async ({ io, open }) => {
      const runtime = await open();
      try {
        const rows = await listInstitutions(runtime.db);
        const codes = new Map(rows.map((r) => [r.id, r.code]));
        if (!rows.length) {
          io.out('No institutions yet.');
          return 0;
        }
        for (const line of table([
          ['CODE', 'TYPE', 'UNIT', 'COUNTRY', 'STATE', 'PARENT', 'MFA', 'NAME'],
          ...rows.map((r) => [r.code, r.type, r.unit_type ?? '', r.country, r.state_code ?? '', r.parent_id ? (codes.get(r.parent_id) ?? '?') : '', r.require_mfa ? 'yes' : '', r.name]),
        ]))
          io.out(line);
        return 0;
      } finally {
        await runtime.close();
      }
    },
  },

  'user create': {
    usage: 'user create --email x@example.org --name "…" --institution CODE --role caseworker [--password …] [--language es|en]',
    summary: 'creates a user with a role in an institution (prints a generated password once)',
    details: `roles: ${roles.join(', ')}`,
    options: {
      email: text('email, used to sign in'),
      name: text('display name'),
      institution: text('institution code'),
      role: text('role in the institution'),
      password: text('at least 12 characters; a random one is generated and printed when omitted'),
      language: text('es (default) or en'),
    },
    run: async ({ values, io, open }) => {
      const email = required(values, 'email');
      const name = required(values, 'name');
      const role = parseRole(required(values, 'role'));
      const password = optional(values, 'password');
      const language = optional(values, 'language') ?? 'es';
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 254) throw new UsageError('--email is not a valid email address.');
      if (name.length > 120) throw new UsageError('--name must be at most 120 characters.');
      if (password !== undefined && password.length < 12) throw new UsageError('--password must have at least 12 characters.');
      if (language !== 'es' && language !== 'en') throw new UsageError('--language must be es or en.');
      const runtime = await open();
      try {
        const institution = await institutionByCode(runtime.db, required(values, 'institution'));
        const created = await createUser(runtime.db, null, { email, display_name: name, password, institution_id: institution.id, role, preferred_language: language });
        io.out(`Created user ${email.toLowerCase()} (${created.id}) as ${role} of ${institution.code}.`);
        if (created.password) io.out(`Password (shown only now): ${created.password}`);
        return 0;
      } finally {
        await runtime.close();
      }
    },
  },

  'user add-role': {
    usage: 'user add-role --email x@example.org --institution CODE --role supervisor',
    summary: 'gives a user a role in an institution (changes it if the user already has one there)',
    details: `roles: ${roles.join(', ')}`,
    options: { email: text('the user'), institution: text('institution code'), role: text('role') },
    run: async ({ values, io, open }) => {
      const role = parseRole(required(values, 'role'));
      const email = required(values, 'email');
      const code = required(values, 'institution');
      const runtime = await open();
      try {
        const user = await userByEmail(runtime.db, email);
        const institution = await institutionByCode(runtime.db, code);
        const before = await runtime.db.selectFrom('memberships').select('role').where('user_id', '=', user.id).where('institution_id', '=', institution.id).executeTakeFirst();
        await setMembership(runtime.db, null, { user_id: user.id, institution_id: institution.id, role });
        io.out(before ? `${user.email}: role in ${institution.code} changed from ${before.role} to ${role}.` : `${user.email} is now ${role} of ${institution.code}.`);
        return 0;
      } finally {
        await runtime.close();
      }
    },
  },

  'user reset-password': {
    usage: 'user reset-password --email x@example.org [--password …]',
    summary: 'sets a new password (random unless given), unlocks the account and ends its sessions',
    options: { email: text('the user'), password: text('at least 12 characters; random when omitted') },
    run: async ({ values, io, open }) => {
      const email = required(values, 'email');
      const password = optional(values, 'password');
      if (password !== undefined && password.length < 12) throw new UsageError('--password must have at least 12 characters.');
      const runtime = await open();
      try {
        const user = await userByEmail(runtime.db, email);
        const next = await resetPassword(runtime.db, null, user.id, null, password);
        io.out(`Password of ${user.email} reset; the account is unlocked and its sessions ended.`);
        if (!password) io.out(`New password (shown only now): ${next}`);
        return 0;
      } finally {
        await runtime.close();
      }
    },
  },

  'user list': {
    usage: 'user list [--institution CODE]',
    summary: 'lists users and their roles',
    options: { institution: text('only members of this institution') },
    run: async ({ values, io, open }) => {
      const runtime = await open();
      try {
        const code = optional(values, 'institution');
        let query = runtime.db
          .selectFrom('users')
          .leftJoin('memberships', 'memberships.user_id', 'users.id')
          .leftJoin('institutions', 'institutions.id', 'memberships.institution_id')
          .select(['users.id', 'users.email', 'users.display_name', 'users.is_platform_admin', 'users.disabled_at', 'users.locked_until', 'users.totp_enabled', 'institutions.code', 'memberships.role'])
          .orderBy('users.email')
          .orderBy('institutions.code');
        if (code) {
          const institution = await institutionByCode(runtime.db, code);
          query = query.where('users.id', 'in', runtime.db.selectFrom('memberships').select('user_id').where('institution_id', '=', institution.id));
        }
        const rows = await query.execute();
        const users = new Map<string, { email: string; name: string; roles: string[]; flags: string[] }>();
        for (const r of rows) {
          const entry = users.get(r.id) ?? {
            email: r.email,
            name: r.display_name,
            roles: [],
            flags: [r.is_platform_admin ? 'platform-admin' : '', r.disabled_at ? 'disabled' : '', r.locked_until && r.locked_until > new Date() ? 'locked' : '', r.totp_enabled ? 'mfa' : ''].filter(Boolean),
          };
          if (r.code && r.role) entry.roles.push(`${r.code}:${r.role}`);
          users.set(r.id, entry);
        }
        if (!users.size) {
          io.out('No users.');
          return 0;
        }
        for (const line of table([['EMAIL', 'ROLES', 'FLAGS', 'NAME'], ...[...users.values()].map((u) => [u.email, u.roles.join(',') || '-', u.flags.join(',') || '-', u.name])])) io.out(line);
        return 0;
      } finally {
        await runtime.close();
      }
    },
  },

  'audit verify': {
    usage: 'audit verify [--institution CODE] [--checkpoint FILE]',
    summary: 'recomputes the audit hash chains and checks them against their sealed heads (and a checkpoint); exit code 1 if any entry was altered, removed or reordered',
    details:
      'New entries are first sealed (their chain checked from its last sealed head, then the head MACed with the key ring). ' +
      'With --checkpoint, every chain must still hold the checkpoint’s last entry with the same hash: rewriting or cutting a chain after a checkpoint is found even by someone who also put back an older head.',
    options: { institution: text('only this institution’s chain'), checkpoint: text('a file written by `amparo audit checkpoint`') },
    run: async ({ values, io, open }) => {
      const runtime = await open();
      try {
        const code = optional(values, 'institution');
        const only = code ? (await institutionByCode(runtime.db, code)).id : undefined;
        const checkpointFile = optional(values, 'checkpoint');
        let checkpoint: AuditCheckpoint | undefined;
        if (checkpointFile) {
          try {
            checkpoint = parseCheckpoint(fs.readFileSync(checkpointFile, 'utf8'), runtime.cipher);
          } catch (error) {
            throw new CliError(`${checkpointFile}: ${(error as Error).message}`);
          }
        }
        const reports = await checkAuditIntegrity(runtime.db, runtime.cipher, { ...(only ? { onlyInstitutionId: only } : {}), ...(checkpoint ? { checkpoint } : {}) });
        const institutions = await runtime.db.selectFrom('institutions').select(['id', 'code']).execute();
        const codes = new Map(institutions.map((i) => [i.id, i.code]));
        const label = (id: string) => (id === PLATFORM_CHAIN ? '(platform)' : (codes.get(id) ?? id));
        const rows = reports
          .filter((r) => r.entries > 0 || !r.ok)
          .map((r) => [label(r.institutionId), String(r.entries), r.sealedThroughId === null ? '-' : String(r.sealedThroughId), r.ok ? 'OK' : 'BROKEN'])
          .sort((a, b) => a[0]!.localeCompare(b[0]!));
        if (!rows.length) io.out('The audit log is empty.');
        else for (const line of table([['CHAIN', 'ENTRIES', 'SEALED THROUGH', 'STATUS'], ...rows])) io.out(line);
        const broken = reports.filter((r) => !r.ok);
        if (broken.length) {
          for (const r of broken) for (const problem of r.problems) io.err(`${label(r.institutionId)}: ${problem}`);
          io.err(`${broken.length} audit chain(s) BROKEN: entries were altered, removed or reordered after they were written.`);
          return 1;
        }
        io.out(`All ${rows.length} chain(s) OK${checkpoint ? `, and consistent with the checkpoint of ${checkpoint.created_at}` : ''}.`);
        return 0;
      } finally {
        await runtime.close();
      }
    },
  },

  'audit checkpoint': {
    usage: 'audit checkpoint --out FILE',
    summary: 'seals every audit chain and writes their heads, MACed with the key ring, to FILE: keep it outside the server',
    details: 'Later, `amparo audit verify --checkpoint FILE` finds any rewriting or truncation of the audit log since. Run it nightly and send the file somewhere the server cannot write (mail, another host).',
    options: { out: text('the file to write (must not exist)') },
    run: async ({ values, io, open }) => {
      const out = required(values, 'out');
      if (fs.existsSync(out)) throw new CliError(`${out} already exists.`);
      const runtime = await open();
      try {
        const checkpoint = await makeCheckpoint(runtime.db, runtime.cipher);
        fs.writeFileSync(out, JSON.stringify(checkpoint, null, 2) + '\n', { flag: 'wx' });
        io.out(`Checkpoint of ${checkpoint.chains.length} chain(s) (${checkpoint.chains.reduce((n, c) => n + c.entries, 0)} entries) written to ${out}.`);
        return 0;
      } finally {
        await runtime.close();
      }
    },
  },

  backup: {
    usage: 'backup --out FILE [--passphrase-file FILE]',
    summary: 'writes one file with a consistent copy of the database and the key ring sealed to a passphrase, with a manifest of checksums',
    details:
      'The passphrase (12 characters or more) comes from --passphrase-file or AMPARO_BACKUP_PASSPHRASE; keep it apart from the backups: ' +
      'without it the file opens nothing encrypted, and without it the backup cannot be restored. The server may keep running (one snapshot).',
    options: { out: text('the file to write (must not exist)'), 'passphrase-file': text('a file whose first line is the passphrase') },
    run: async ({ values, io, config, open }) => {
      const out = required(values, 'out');
      if (fs.existsSync(out)) throw new CliError(`${out} already exists.`);
      const passphrase = backupPassphrase(values, config);
      const runtime = await open();
      try {
        const manifest = await writeBackup({ url: runtime.ownerUrl, ring: runtime.ring, passphrase, file: out });
        io.out(`Backup written to ${out}: ${manifest.tables.length} tables, ${manifest.tables.reduce((n, t) => n + t.rows, 0)} rows, key ring sealed to the passphrase.`);
        return 0;
      } finally {
        await runtime.close();
      }
    },
  },

  restore: {
    usage: 'restore --from FILE [--passphrase-file FILE] [--check]',
    summary: 'restores a backup into an empty data folder (or empty DATABASE_URL database), then verifies every audit chain',
    details: 'With --check, only reads the file: passphrase, checksums and MAC. Stop any server on the target first; the key file is written from the backup.',
    options: { from: text('the backup file'), 'passphrase-file': text('a file whose first line is the passphrase'), check: { type: 'boolean', description: 'only check the file' } },
    run: async ({ values, io, config }) => {
      const from = required(values, 'from');
      if (!fs.existsSync(from)) throw new CliError(`${from} does not exist.`);
      const passphrase = backupPassphrase(values, config);
      try {
        if (values.check) {
          const checked = await checkBackup(from, passphrase);
          io.out(`${from}: made ${checked.createdAt}, ${checked.tables.length} tables, ${checked.tables.reduce((n, t) => n + t.rows, 0)} rows; checksums and MAC OK.`);
          return 0;
        }
        const result = await restoreInstallation(config, from, passphrase, io.err);
        io.out(`Restored ${result.rows} rows in ${result.tables} tables.`);
        const broken = result.audit.filter((r) => !r.ok);
        if (broken.length) {
          io.err(`${broken.length} audit chain(s) do not verify after the restore.`);
          return 1;
        }
        io.out(`All ${result.audit.filter((r) => r.entries > 0).length} audit chain(s) verify.`);
        return 0;
      } catch (error) {
        if (error instanceof BackupError) throw new CliError(error.message);
        throw error;
      }
    },
  },

  'keys rotate': {
    usage: 'keys rotate [--skip-reencrypt]',
    summary: 'adds a new encryption key, makes it current and re-encrypts every encrypted field under it',
    details:
      'With a key file (AMPARO_KEY_FILE, default <data dir>/keys.json) the file is updated in place, old keys kept. ' +
      'With AMPARO_KEYS nothing is written: the new key ring is printed for you to store in AMPARO_KEYS; ' +
      'then restart the servers and run `amparo keys reencrypt`. Servers must be restarted after a rotation ' +
      'to load the new ring: until then they cannot read what was re-encrypted.',
    options: { 'skip-reencrypt': { type: 'boolean', description: 'only add the key; run `keys reencrypt` later' } },
    run: async ({ values, io, config, open }) => {
      const ring = await loadKeyRing({ keysJson: config.keys, keyFile: config.keyFile, createIfMissing: false });
      const next = await addKeyToRing(ring);
      const cipher = await FieldCipher.fromRing(next);
      if (config.keys) {
        io.err(`AMPARO_KEYS is set, so no file is written. New key "${next.current}" added (old keys kept). Store this as AMPARO_KEYS:`);
        io.out(JSON.stringify(next));
        io.err('Then restart the servers with it and run `amparo keys reencrypt` to re-encrypt the data under the new key.');
        return 0;
      }
      // Connect before touching the key file, so that a wrong database leaves the ring as it was.
      const runtime = await open();
      try {
        writeKeyFile(config.keyFile, next);
        io.err(`New key "${next.current}" added to ${config.keyFile} and made current (previous: "${ring.current}").`);
        io.err('Restart every running Amparo server now so that it loads the new key ring.');
        if (values['skip-reencrypt'] === true) {
          io.out(`Key "${next.current}" is current. Run \`amparo keys reencrypt\` to re-encrypt the existing data.`);
          return 0;
        }
        return await reencrypt(runtime.db, cipher, io);
      } finally {
        await runtime.close();
      }
    },
  },

  'keys reencrypt': {
    usage: 'keys reencrypt',
    summary: 're-encrypts under the current key every field still encrypted with an older one',
    options: {},
    run: async ({ io, open }) => {
      const runtime = await open();
      try {
        return await reencrypt(runtime.db, runtime.cipher, io);
      } finally {
        await runtime.close();
      }
    },
  },

  'demo load': {
    usage: 'demo load [--people N] [--seed N]',
    summary: 'loads the demo data set into a database without institutions',
    options: { people: text('how many people (default AMPARO_DEMO_PEOPLE, 3000)'), seed: text('random seed (default 2019)') },
    run: async ({ values, io, config, open }) => {
      const people = optional(values, 'people') === undefined ? config.demoPeople : Number(optional(values, 'people'));
      const seed = optional(values, 'seed') === undefined ? undefined : Number(optional(values, 'seed'));
      if (!Number.isInteger(people) || people < 0 || people > 1_000_000) throw new UsageError('--people must be a whole number between 0 and 1000000.');
      if (seed !== undefined && !Number.isInteger(seed)) throw new UsageError('--seed must be a whole number.');
      const runtime = await open();
      try {
        const summary = await loadDemoIfEmpty(runtime.db, runtime.cipher, { people, log: io.err, ...(seed !== undefined ? { seed } : {}) });
        if (!summary) {
          io.out('The database already has institutions: the demo data was not loaded.');
          return 0;
        }
        io.out('Demo users (all with the password shown):');
        io.out(`  password: ${summary.password}`);
        for (const user of summary.users) io.out(`  ${user.email.padEnd(34)} ${user.role.padEnd(13)} ${user.institution}`);
        return 0;
      } finally {
        await runtime.close();
      }
    },
  },

  'statistics seed-scenario': {
    usage: 'statistics seed-scenario',
    summary: "loads records that reproduce the seed report's figures for June 2018 to May 2019 (institutions coded SC…)",
    options: {},
    run: async ({ io, open }) => {
      const runtime = await open();
      try {
        await loadSeedScenario(runtime.db, runtime.cipher);
        io.out('Seed scenario loaded: see the statistics report for 2018-06-01 to 2019-05-31.');
        return 0;
      } finally {
        await runtime.close();
      }
    },
  },

  'complaints retention': {
    usage: 'complaints retention [--dry-run]',
    summary: 'deletes complaints past their retention period (not under legal hold), keeping only the statistical record',
    options: { 'dry-run': { type: 'boolean', description: 'report what would be deleted, delete nothing' } },
    run: async ({ values, io, open }) => {
      const runtime = await open();
      try {
        const report = await applyRetention(runtime.db, { dryRun: values['dry-run'] === true, log: io.err });
        for (const [status, n] of Object.entries(report.byStatus)) io.out(`  ${status}: ${n}`);
        return 0;
      } finally {
        await runtime.close();
      }
    },
  },

  'complaints rotate-signing-key': {
    usage: 'complaints rotate-signing-key',
    summary: 'adds a new Ed25519 key for complaint packages; older keys stay published for verifying packages already sent',
    options: {},
    run: async ({ io, open }) => {
      const runtime = await open();
      try {
        const key = await rotateSigningKey(runtime.db, runtime.cipher);
        io.out(`New signing key ${key.id} (SHA-256 of the public key: ${key.fingerprint}). Running servers use it within a minute.`);
        return 0;
      } finally {
        await runtime.close();
      }
    },
  },

  ...Object.fromEntries(importKinds.map((kind) => [`import ${kind}`, importCommand(kind)])),
  ...Object.fromEntries(exportKinds.map((kind) => [`export ${kind}`, exportCommand(kind)])),

  'directory export': {
    usage: 'directory export --format json|csv --out PATH',
    summary: 'writes the services directory as an HSDS 3.0 data package (open data: no personal data)',
    details: 'json: one file. csv: a folder (created if missing) with datapackage.json and one CSV per HSDS table.',
    options: { format: text('json or csv'), out: text('the file (json) or folder (csv) to write') },
    run: async ({ values, io, open }) => {
      const format = required(values, 'format');
      if (format !== 'json' && format !== 'csv') throw new UsageError('--format must be json or csv.');
      const out = required(values, 'out');
      const runtime = await open();
      try {
        const tables = await exportTables(runtime.db);
        if (format === 'json') fs.writeFileSync(out, tablesToJson(tables));
        else {
          fs.mkdirSync(out, { recursive: true });
          for (const [name, content] of Object.entries(tablesToCsv(tables))) fs.writeFileSync(path.join(out, name), content);
        }
        io.out(`Wrote ${tables.organization.length} organization(s) and ${tables.service.length} service(s) to ${out}.`);
        return 0;
      } finally {
        await runtime.close();
      }
    },
  },

  'directory import': {
    usage: 'directory import PATH',
    summary: 'adds or updates directory entries from an HSDS data package, all or nothing',
    details: 'PATH: a .json package, or a folder (or its datapackage.json) of CSV files, as `directory export` writes them. Entries are matched by id.',
    options: {},
    positionals: true,
    run: async ({ io, open, positionals }) => {
      const [source] = positionals;
      if (!source || positionals.length > 1) throw new UsageError('Give one file or folder to import.');
      if (!fs.existsSync(source)) throw new CliError(`${source}: no such file or folder.`);
      const folder = fs.statSync(source).isDirectory() ? source : path.basename(source) === 'datapackage.json' ? path.dirname(source) : null;
      const tables = folder
        ? tablesFromCsv(Object.fromEntries(fs.readdirSync(folder).filter((f) => f.endsWith('.csv')).map((f) => [f, fs.readFileSync(path.join(folder, f), 'utf8')])))
        : tablesFromJson(fs.readFileSync(source, 'utf8'));
      const runtime = await open();
      try {
        const counts = await importTables(runtime.db, tables);
        io.out(`Imported ${counts.organizations} organization(s) and ${counts.services} service(s).`);
        return 0;
      } finally {
        await runtime.close();
      }
    },
  },

  migrate: {
    usage: 'migrate',
    summary: 'applies pending database migrations (the server also does this when it starts)',
    options: {},
    run: async ({ io, open }) => {
      const runtime = await open();
      try {
        const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(runtime.db);
        io.out(`Database schema is up to date (${rows.length} migrations: ${rows.map((r) => r.name).join(', ')}).`);
        return 0;
      } finally {
        await runtime.close();
      }
    },
  },
};

async function reencrypt(db: Db, cipher: FieldCipher, io: Io): Promise<number> {
  io.err(`Re-encrypting under key "${cipher.currentKeyId}"...`);
  const counts = await reencryptAll(db, cipher, io.err);
  for (const line of table([['FIELD', 'RE-ENCRYPTED'], ...counts.map((c) => [`${c.table}.${c.column}`, String(c.reencrypted)])])) io.out(line);
  const left = await countNotCurrent(db, cipher.currentKeyId);
  if (left > 0) {
    io.err(`${left} value(s) are still under an older key (changed while this ran): run \`amparo keys reencrypt\` again.`);
    return 1;
  }
  io.out(`Everything is encrypted with key "${cipher.currentKeyId}". Once every server runs with the new ring, the older keys can be removed from it.`);
  return 0;
}

// ------------------------------------------------------------------------------------------------
// Entry

function helpText(): string {
  const lines = [
    'Amparo command line. Works on the same database as the server: the embedded PostgreSQL in',
    'AMPARO_DATA_DIR (default ./data) unless DATABASE_URL is set; keys from AMPARO_KEYS or AMPARO_KEY_FILE.',
    '',
    'Usage: amparo <command> [options]      (npm run amparo -- <command>, npx amparo <command>)',
    '',
  ];
  const width = Math.max(...Object.keys(commands).map((k) => k.length));
  for (const [name, command] of Object.entries(commands)) lines.push(`  ${name.padEnd(width)}  ${command.summary}`);
  lines.push('', 'Run `amparo <command> --help` for the options of a command.');
  return lines.join('\n');
}

function commandHelp(name: string, command: Command): string {
  const lines = [`amparo ${command.usage}`, '', `  ${command.summary}`];
  if (command.details) lines.push('', `  ${command.details}`);
  const options = Object.entries(command.options);
  if (options.length) {
    lines.push('', 'Options:');
    const width = Math.max(...options.map(([k]) => k.length)) + 2;
    for (const [key, option] of options) lines.push(`  --${key.padEnd(width)} ${option.description}`);
  }
  void name;
  return lines.join('\n');
}

/** If the embedded server of this data folder is already running (the server is up), use it. */
async function runningEmbeddedUrl(config: Config): Promise<string | undefined> {
  if (config.databaseUrl) return undefined;
  const passwordFile = path.join(config.dataDir, 'pg-password');
  if (!fs.existsSync(path.join(config.dataDir, 'pg', 'postmaster.pid')) || !fs.existsSync(passwordFile)) return undefined;
  // The user name is the one embedded.ts gives the cluster.
  const url = `postgres://amparo:${encodeURIComponent(fs.readFileSync(passwordFile, 'utf8').trim())}@127.0.0.1:${config.embeddedPgPort}/amparo`;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return url;
  } catch {
    return undefined;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function runCli(argv: string[], io: Io): Promise<number> {
  const words = argv.filter((a) => !a.startsWith('-'));
  const wantsHelp = argv.includes('--help') || argv.includes('-h');
  const name = [`${words[0]} ${words[1]}`, words[0]].find((candidate) => candidate && commands[candidate]);
  if (!name) {
    if (argv.length === 0 || (wantsHelp && words.length === 0) || words[0] === 'help') {
      io.out(helpText());
      return 0;
    }
    const group = Object.keys(commands).filter((k) => k.startsWith(`${words[0]} `));
    io.err(group.length ? `Unknown command "${words.join(' ')}". Did you mean: ${group.map((g) => `amparo ${g}`).join(', ')}?` : `Unknown command "${words.join(' ')}". Run \`amparo --help\`.`);
    return 2;
  }
  const command = commands[name]!;
  if (wantsHelp) {
    io.out(commandHelp(name, command));
    return 0;
  }
  const rest = argv.slice(argv.indexOf(name.split(' ').at(-1)!) + 1);
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    const options = Object.fromEntries(Object.entries(command.options).map(([key, option]) => [key, { type: option.type }]));
    const parsed = parseArgs({ args: rest, options, strict: true, allowPositionals: !!command.positionals });
    values = parsed.values as Record<string, string | boolean | undefined>;
    positionals = parsed.positionals;
  } catch (error) {
    io.err(`${error instanceof Error ? error.message : String(error)}\nUsage: amparo ${command.usage}`);
    return 2;
  }

  let debug = false;
  try {
    const config = io.env ? loadConfig(io.env) : processConfig();
    debug = config.debug;
    const open = async () => {
      const running = await runningEmbeddedUrl(config);
      // Commands (re-encryption, imports, retention) may run statements longer than a request's limit.
      const cliConfig = { ...config, database: { ...config.database, statementTimeoutMs: 0, idleInTransactionTimeoutMs: 0 } };
      return openRuntime(running ? { ...cliConfig, databaseUrl: running } : cliConfig, io.err);
    };
    return await command.run({ values, positionals, io, config, open });
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`${error.message}\nUsage: amparo ${command.usage}`);
      return 2;
    }
    if (error instanceof AppError) {
      io.err(translate('en', error.code, error.params));
      return 1;
    }
    if (error instanceof CliError) {
      io.err(error.message);
      return 1;
    }
    io.err(`amparo ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
    if (debug && error instanceof Error && error.stack) io.err(error.stack);
    return 1;
  }
}

export const commandNames = Object.keys(commands);
