import path from 'node:path';
import { z } from 'zod';

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/**
 * The environment, read here and nowhere else (test and benchmark setup aside): once at start, and a
 * wrong value stops the process with a clear message.
 */
const environmentSchema = z.object({
  DATABASE_URL: z.string().url().optional(),
  AMPARO_APP_DATABASE_URL: z.string().url().optional(),
  AMPARO_BACKUP_PASSPHRASE: z.string().min(12, 'at least 12 characters').optional(),
  AMPARO_AUDIT_SEAL_SECONDS: z.coerce.number().int().min(0).max(3600).default(10),
  AMPARO_DATA_DIR: z.string().default('./data'),
  AMPARO_PG_PORT: z.coerce.number().int().min(1024).max(65535).default(54329),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  AMPARO_PUBLIC_URL: z
    .string()
    .url()
    .refine((url) => /^https?:$/.test(new URL(url).protocol), 'an http or https address')
    .optional(),
  AMPARO_TRUSTED_HOSTS: z
    .string()
    .regex(/^[A-Za-z0-9.\-:[\], ]*$/, 'host names (with an optional port) separated by commas')
    .default('localhost,127.0.0.1,[::1]'),
  AMPARO_ADMIN_EMAIL: z.string().email().optional(),
  AMPARO_ADMIN_PASSWORD: z.string().min(12).optional(),
  AMPARO_KEYS: z.string().optional(),
  AMPARO_KEY_FILE: z.string().optional(),
  AMPARO_DEMO: z.enum(['auto', 'off']).default('auto'),
  AMPARO_DEMO_PEOPLE: z.coerce.number().int().min(0).max(1_000_000).default(3000),
  AMPARO_SECURE_COOKIES: z.enum(['auto', 'on', 'off']).default('auto'),
  AMPARO_FOLIO_DELAY_MAX_S: z.coerce.number().int().min(1).max(600).default(60),
  AMPARO_ATTACHMENT_MAX_BYTES: z.coerce.number().int().min(1024).default(10 * 1024 * 1024),
  AMPARO_OFFLINE_DAYS: z.coerce.number().int().min(1).max(60).default(7),
  AMPARO_MATCHING_WORKER: z.enum(['on', 'off']).default('on'),
  AMPARO_TRUST_PROXY: z.string().regex(/^(false|true|\d{1,2}|[0-9a-fA-F.:/, ]+)$/, 'false, true, a hop count, or addresses/CIDRs separated by commas').default('false'),
  AMPARO_DEBUG: z.enum(['', '0', '1', 'on', 'off', 'true', 'false']).default(''),
  AMPARO_TIME_ZONE: z
    .string()
    .refine(isTimeZone, 'an IANA time zone such as America/Mexico_City')
    .default('America/Mexico_City'),
  STATISTICS_MIN_CELL: z.coerce.number().int().min(2, 'never below 2').max(100).default(5),
  AMPARO_DB_POOL_MAX: z.coerce.number().int().min(2).max(500).default(20),
  AMPARO_DB_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5000),
  AMPARO_DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).max(86_400_000).default(60_000),
  AMPARO_DB_IDLE_TX_TIMEOUT_MS: z.coerce.number().int().min(0).max(86_400_000).default(60_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = {
  /** The owner's connection (migrations); the embedded server when unset. */
  databaseUrl: string | undefined;
  /** The application role's connection; unset: the role `amparo_app`, created by the owner (src/platform/db/roles.ts). */
  appDatabaseUrl: string | undefined;
  /** What `amparo backup` seals the key ring to, and `amparo restore` opens it with (or --passphrase-file). */
  backupPassphrase: string | undefined;
  /** How often the server seals the audit chains' heads (0 = only on `audit verify`/`checkpoint`). */
  auditSealSeconds: number;
  dataDir: string;
  embeddedPgPort: number;
  port: number;
  host: string;
  /** The address people reach Amparo at (AMPARO_PUBLIC_URL, no trailing slash): links printed on receipts. */
  publicUrl: string | undefined;
  /**
   * Host names (lower case, with a port when one was given) whose Host header the server may print in a
   * link when AMPARO_PUBLIC_URL is not set; by default only the loopback names of a local start.
   */
  trustedHosts: string[];
  adminEmail: string | undefined;
  adminPassword: string | undefined;
  keys: string | undefined;
  keyFile: string;
  demo: 'auto' | 'off';
  demoPeople: number;
  secureCookies: 'auto' | 'on' | 'off';
  attachmentMaxBytes: number;
  /**
   * Offline work (docs/offline.md): a device opens offline only for a user who signed in on it within
   * this many days, and wipes its store after this many days without reaching the server.
   */
  offlineDays: number;
  /** The longest wait after wrong receipts or access codes for one folio (growing delays, src/platform/limits/throttle.ts). */
  folioDelayMaxS: number;
  /** Fastify's trustProxy: whom to believe about the client address (X-Forwarded-For). */
  trustProxy: boolean | number | string;
  /** Run the missing-person matching worker in this process (off when a separate process runs it). */
  matchingWorker: boolean;
  /** The deployment's calendar: "today", default dates, dates printed on documents and counted by day. */
  timeZone: string;
  /** The CLI prints stack traces of unexpected failures. */
  debug: boolean;
  /** Disclosure control: smallest figure about people shown, and the rounding base (decision 0007). */
  statisticsMinCell: number;
  /** Connection pool of the server: size and timeouts (0 = none), so that a frozen database cannot hang requests forever. */
  database: DatabaseLimits;
  logLevel: z.infer<typeof environmentSchema>['LOG_LEVEL'];
};

export type DatabaseLimits = { poolMax: number; connectTimeoutMs: number; statementTimeoutMs: number; idleInTransactionTimeoutMs: number };

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid environment:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.AMPARO_DATA_DIR);
  return {
    databaseUrl: e.DATABASE_URL,
    appDatabaseUrl: e.AMPARO_APP_DATABASE_URL,
    auditSealSeconds: e.AMPARO_AUDIT_SEAL_SECONDS,
    backupPassphrase: e.AMPARO_BACKUP_PASSPHRASE,
    dataDir,
    embeddedPgPort: e.AMPARO_PG_PORT,
    port: e.PORT,
    host: e.HOST,
    publicUrl: e.AMPARO_PUBLIC_URL?.replace(/\/+$/, ''),
    trustedHosts: e.AMPARO_TRUSTED_HOSTS.split(',').map((h) => h.trim().toLowerCase()).filter(Boolean),
    adminEmail: e.AMPARO_ADMIN_EMAIL,
    adminPassword: e.AMPARO_ADMIN_PASSWORD,
    keys: e.AMPARO_KEYS,
    keyFile: path.resolve(e.AMPARO_KEY_FILE ?? path.join(dataDir, 'keys.json')),
    demo: e.AMPARO_DEMO,
    demoPeople: e.AMPARO_DEMO_PEOPLE,
    secureCookies: e.AMPARO_SECURE_COOKIES,
    attachmentMaxBytes: e.AMPARO_ATTACHMENT_MAX_BYTES,
    offlineDays: e.AMPARO_OFFLINE_DAYS,
    folioDelayMaxS: e.AMPARO_FOLIO_DELAY_MAX_S,
    matchingWorker: e.AMPARO_MATCHING_WORKER === 'on',
    trustProxy: e.AMPARO_TRUST_PROXY === 'false' ? false : e.AMPARO_TRUST_PROXY === 'true' ? true : /^\d+$/.test(e.AMPARO_TRUST_PROXY) ? Number(e.AMPARO_TRUST_PROXY) : e.AMPARO_TRUST_PROXY,
    timeZone: e.AMPARO_TIME_ZONE,
    debug: ['1', 'on', 'true'].includes(e.AMPARO_DEBUG),
    statisticsMinCell: e.STATISTICS_MIN_CELL,
    database: {
      poolMax: e.AMPARO_DB_POOL_MAX,
      connectTimeoutMs: e.AMPARO_DB_CONNECT_TIMEOUT_MS,
      statementTimeoutMs: e.AMPARO_DB_STATEMENT_TIMEOUT_MS,
      idleInTransactionTimeoutMs: e.AMPARO_DB_IDLE_TX_TIMEOUT_MS,
    },
    logLevel: e.LOG_LEVEL,
  };
}

let processWide: Config | undefined;

/**
 * This process's configuration, for code that runs outside a request (calendar dates, documents).
 * The server and the CLI start from the same environment, so it agrees with the config they were given.
 */
export function processConfig(): Config {
  processWide ??= loadConfig();
  return processWide;
}
