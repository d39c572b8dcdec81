/**
 * Parses raw commit and annotated-tag objects, including the exact payload a signature covers. We parse the raw
 * bytes ourselves because isomorphic-git's `payload` only recognises PGP signatures: for an SSH-signed commit it
 * would hand back the wrong bytes. Git's rule (commit.c `parse_signed_commit`): a commit's payload is the object
 * without its `gpgsig` header and that header's continuation lines; a tag's signature is the tail that starts at
 * the first `-----BEGIN … SIGNATURE-----` line.
 */

import type { CommitInfo, Person, SignedPayload, TagInfo } from './types.js';

const SIGNATURE_START = /^-----BEGIN (PGP|SSH) SIGNATURE-----$/m;

export function parseCommit(oid: string, raw: string): CommitInfo {
  const split = raw.indexOf('\n\n');
  const headerText = split === -1 ? raw : raw.slice(0, split);
  const message = split === -1 ? '' : raw.slice(split + 2);
  const headers = parseHeaders(headerText);
  const signed = commitSignature(raw, headers);
  return {
    oid,
    tree: first(headers, 'tree') ?? '',
    parents: headers.filter((h) => h.key === 'parent').map((h) => h.value),
    author: parsePerson(first(headers, 'author') ?? ''),
    committer: parsePerson(first(headers, 'committer') ?? first(headers, 'author') ?? ''),
    message,
    ...(signed ? { signed } : {}),
  };
}

/** `commit`: the tag's target object id, peeled later by the caller when it is itself a tag. */
export function parseTag(oid: string, raw: string): TagInfo & { type: string } {
  const match = SIGNATURE_START.exec(raw);
  const body = match ? raw.slice(0, match.index) : raw;
  const split = body.indexOf('\n\n');
  const headers = parseHeaders(split === -1 ? body : body.slice(0, split));
  return {
    oid,
    name: first(headers, 'tag') ?? '',
    commit: first(headers, 'object') ?? '',
    type: first(headers, 'type') ?? '',
    tagger: parsePerson(first(headers, 'tagger') ?? ''),
    message: split === -1 ? '' : body.slice(split + 2),
    ...(match ? { signed: { payload: body, signature: raw.slice(match.index) } } : {}),
  };
}

interface Header {
  key: string;
  value: string;
  /** Character range of the header (with its continuation lines and final newline) in the raw object. */
  start: number;
  end: number;
}

function parseHeaders(text: string): Header[] {
  const headers: Header[] = [];
  let offset = 0;
  for (const line of text.split('\n')) {
    const end = offset + line.length + 1;
    const last = headers[headers.length - 1];
    if (line.startsWith(' ') && last) {
      last.value += '\n' + line.slice(1);
      last.end = end;
    } else {
      const space = line.indexOf(' ');
      headers.push({
        key: space === -1 ? line : line.slice(0, space),
        value: space === -1 ? '' : line.slice(space + 1),
        start: offset,
        end,
      });
    }
    offset = end;
  }
  return headers;
}

function commitSignature(raw: string, headers: Header[]): SignedPayload | undefined {
  const sig = headers.find((h) => h.key === 'gpgsig');
  if (!sig) return undefined;
  const signature = sig.value.endsWith('\n') ? sig.value : sig.value + '\n';
  return { signature, payload: raw.slice(0, sig.start) + raw.slice(sig.end) };
}

function first(headers: Header[], key: string): string | undefined {
  return headers.find((h) => h.key === key)?.value;
}

/** `Name <email> 1700000000 +0100` */
export function parsePerson(value: string): Person {
  const match = /^(.*?) ?<([^>]*)> (\d+)/.exec(value);
  if (!match) return { name: value, email: '', date: new Date(0) };
  return { name: match[1] ?? '', email: match[2] ?? '', date: new Date(Number(match[3]) * 1000) };
}
