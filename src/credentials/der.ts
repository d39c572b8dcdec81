/**
 * The few DER encodings a PKCS#10 certificate request needs (RFC 2986, X.690): lengths, SEQUENCE, SET, INTEGER 0,
 * OBJECT IDENTIFIER, UTF8String, BIT STRING and an empty context tag. Nothing else of ASN.1 is needed, so no library.
 */

export function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), length(content.length), content]);
}

export const sequence = (...parts: Buffer[]): Buffer => tlv(0x30, Buffer.concat(parts));
export const set = (...parts: Buffer[]): Buffer => tlv(0x31, Buffer.concat(parts));
export const utf8String = (text: string): Buffer => tlv(0x0c, Buffer.from(text, 'utf8'));
/** BIT STRING with no unused bits. */
export const bitString = (bytes: Buffer): Buffer => tlv(0x03, Buffer.concat([Buffer.from([0]), bytes]));
export const integerZero = (): Buffer => Buffer.from([0x02, 0x01, 0x00]);
/** `[0]` constructed and empty: a request's attributes when there are none. */
export const emptyContext0 = (): Buffer => Buffer.from([0xa0, 0x00]);

export function objectIdentifier(dotted: string): Buffer {
  const [first, second, ...rest] = dotted.split('.').map(Number);
  const bytes = [40 * first! + second!];
  for (const arc of rest) bytes.push(...base128(arc));
  return tlv(0x06, Buffer.from(bytes));
}

function base128(value: number): number[] {
  const out = [value & 0x7f];
  for (let v = Math.floor(value / 128); v > 0; v = Math.floor(v / 128)) out.unshift((v & 0x7f) | 0x80);
  return out;
}

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
