/**
 * Roster's one logger factory: structured JSON lines (pino) for `roster serve` and `roster watch`.
 * Anything that could hold a credential is masked before it is written, whatever the caller passes in:
 * a token or kubeconfig must never reach a log even by mistake (STYLE: tokens never appear in any log).
 */
import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Field names that may carry secrets, at the top level and one level down (pino's redact has no deep wildcard). */
const SECRET_FIELDS = [
  'token',
  'password',
  'secret',
  'authorization',
  'Authorization',
  'kubeconfig',
  'client-key-data',
  'client-certificate-data',
  'bearerToken',
  'webhookSecret',
];

const HEADER_PATHS = [
  'headers.authorization',
  'headers.cookie',
  'headers["x-gitlab-token"]',
  'headers["x-hub-signature-256"]',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-gitlab-token"]',
  'req.headers["x-hub-signature-256"]',
];

export const REDACTED_PATHS: readonly string[] = [
  ...SECRET_FIELDS.flatMap((field) => [quote(field), `*${quote(field, true)}`]),
  ...HEADER_PATHS,
];

/** What the mask looks like in a log line (fluxcd masks Secret values the same way). */
export const REDACTED = '***';

/** Where log lines go: any object with `write(line)`, e.g. the CLI's Io or a test's buffer. Default stdout. */
export interface LogDestination {
  write(line: string): void;
}

export interface LoggerOptions {
  /** Default `info`; ROSTER_LOG_LEVEL overrides it when set. */
  level?: LogLevel;
  destination?: LogDestination;
  /** Fields on every line, e.g. `{ component: 'serve', identity }`. */
  base?: Record<string, unknown>;
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const level = levelFrom(process.env.ROSTER_LOG_LEVEL) ?? opts.level ?? 'info';
  const options = {
    level,
    base: { app: 'roster', ...opts.base },
    redact: { paths: [...REDACTED_PATHS], censor: REDACTED },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
  };
  return opts.destination ? pino(options, opts.destination) : pino(options);
}

function levelFrom(text: string | undefined): LogLevel | undefined {
  return LOG_LEVELS.find((l) => l === text);
}

/** A field name as a redact path segment: plain names as `.name` (bare at the start), others as `["name"]`. */
function quote(field: string, nested = false): string {
  if (!/^[A-Za-z_$][\w$]*$/.test(field)) return `["${field}"]`;
  return nested ? `.${field}` : field;
}

/** An error as a log field: its code and message only, never a stack full of request objects. */
export function errorFields(err: unknown): { code: string; message: string } {
  if (err instanceof Error)
    return { code: (err as { code?: unknown }).code?.toString() ?? err.name, message: err.message };
  return { code: 'unknown', message: String(err) };
}
