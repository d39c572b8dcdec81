/**
 * Lines of an audit log file, streamed: plain or gzip (recognised by its magic bytes, whatever the file is called),
 * read in chunks with backpressure, so a multi-GB log needs memory for one chunk and one line, not the file.
 */

import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { RosterError } from '../errors.js';

/** A line longer than this is reported as malformed and skipped, so one broken line cannot exhaust memory. */
export const MAX_LINE_BYTES = 8 * 1024 * 1024;

/** An audit log could not be read (missing, unreadable, corrupt gzip). Exit 2: nothing was reported from it. */
export class AuditLogError extends RosterError {
  constructor(file: string, message: string, cause?: unknown) {
    super('AuditLogError', `${file}: ${message}`, { data: { file }, cause });
  }
}

export interface LogLine {
  text: string;
  /** 1-based line number in the (decompressed) file. */
  line: number;
  /** True for a line longer than MAX_LINE_BYTES; `text` is then empty. */
  tooLong?: boolean;
}

export async function* readLogLines(file: string, onBytes?: (n: number) => void): AsyncGenerator<LogLine> {
  const { stream, gzip } = await openLog(file, onBytes);
  let pending = '';
  let skipping = false;
  let line = 0;
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      let start = 0;
      for (let nl = chunk.indexOf('\n'); nl >= 0; nl = chunk.indexOf('\n', start)) {
        const piece = chunk.slice(start, nl);
        start = nl + 1;
        line++;
        if (skipping) {
          skipping = false;
          pending = '';
          continue;
        }
        const text = pending === '' ? piece : pending + piece;
        pending = '';
        if (text.length > MAX_LINE_BYTES) yield { text: '', line, tooLong: true };
        else if (text.trim() !== '') yield { text, line };
      }
      if (skipping) continue;
      pending += chunk.slice(start);
      if (pending.length > MAX_LINE_BYTES) {
        yield { text: '', line: line + 1, tooLong: true };
        pending = '';
        skipping = true;
      }
    }
  } catch (err) {
    throw readError(file, gzip, line, err);
  }
  // A last line without a newline may be half-written by a running API server; it is still a line if it parses.
  if (!skipping && pending.trim() !== '') yield { text: pending, line: line + 1 };
}

function readError(file: string, gzip: boolean, line: number, err: unknown): AuditLogError {
  const why = err instanceof Error ? err.message : String(err);
  const code = (err as NodeJS.ErrnoException).code ?? '';
  const after = line > 0 ? ` after line ${line}` : ' at its start';
  if (gzip && (code.startsWith('Z_') || /unexpected end of file|incorrect header|invalid/i.test(why)))
    return new AuditLogError(
      file,
      `the gzip data is truncated or corrupt${after} (${why}); nothing was reported. ` +
        'Pass the complete file (a log still being compressed is not complete yet), or gunzip what can be ' +
        'recovered and pass that',
      err,
    );
  return new AuditLogError(file, `cannot read${after}: ${why}`, err);
}

async function openLog(file: string, onBytes?: (n: number) => void): Promise<{ stream: Readable; gzip: boolean }> {
  const gzip = await isGzip(file);
  const raw = createReadStream(file, { highWaterMark: 1024 * 1024 });
  if (onBytes) raw.on('data', (chunk) => onBytes(chunk.length));
  const text = gzip ? raw.pipe(createGunzip()) : raw;
  if (gzip) raw.on('error', (err) => text.destroy(err));
  text.setEncoding('utf8');
  return { stream: text, gzip };
}

async function isGzip(file: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : String(code);
    throw new AuditLogError(file, `cannot open the audit log: ${why}`, err);
  }
  try {
    if ((await handle.stat()).isDirectory())
      throw new AuditLogError(
        file,
        'is a directory, not an audit log; pass its files, e.g. --audit-log ' +
          `${file.replace(/\/+$/, '')}/audit.log (rotated files too)`,
      );
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await handle.close();
  }
}
