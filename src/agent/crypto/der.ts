/**
 * Minimal DER (ASN.1 distinguished encoding): just what an X.509 v3 certificate needs, to build
 * one (the agent's throw-away Casper certificate, the tests' CAs) and to read a few fields back.
 */

export const TAG = {
  boolean: 0x01,
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  utf8String: 0x0c,
  printableString: 0x13,
  ia5String: 0x16,
  utcTime: 0x17,
  generalizedTime: 0x18,
  sequence: 0x30,
  set: 0x31,
} as const;

function lengthBytes(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function tlv(tag: number, content: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([tag]), lengthBytes(content.length), content]);
}

export const sequence = (...items: Uint8Array[]) => tlv(TAG.sequence, Buffer.concat(items));
export const set = (...items: Uint8Array[]) => tlv(TAG.set, Buffer.concat(items));
export const nullValue = () => tlv(TAG.null, Buffer.alloc(0));
export const octetString = (b: Uint8Array) => tlv(TAG.octetString, b);
export const boolean = (v: boolean) => tlv(TAG.boolean, Buffer.from([v ? 0xff : 0]));
export const utf8 = (s: string) => tlv(TAG.utf8String, Buffer.from(s, "utf8"));
export const printable = (s: string) => tlv(TAG.printableString, Buffer.from(s, "ascii"));
export const ia5 = (s: string) => tlv(TAG.ia5String, Buffer.from(s, "ascii"));

/** BIT STRING with no unused bits. */
export const bitString = (b: Uint8Array) => tlv(TAG.bitString, Buffer.concat([Buffer.from([0]), b]));

/** A non-negative INTEGER, minimal two's complement (a leading 0 when the high bit is set). */
export function integer(value: bigint | number | Uint8Array): Buffer {
  let bytes: Buffer;
  if (value instanceof Uint8Array) {
    bytes = Buffer.from(value);
  } else {
    let hex = BigInt(value).toString(16);
    if (hex.length % 2) hex = `0${hex}`;
    bytes = Buffer.from(hex, "hex");
  }
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0 && ((bytes[start + 1] ?? 0) & 0x80) === 0) start++;
  bytes = bytes.subarray(start);
  if (bytes.length === 0) bytes = Buffer.from([0]);
  if (((bytes[0] ?? 0) & 0x80) !== 0) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return tlv(TAG.integer, bytes);
}

export function oid(dotted: string): Buffer {
  const parts = dotted.split(".").map(Number);
  const [a = 0, b = 0, ...rest] = parts;
  const out: number[] = [a * 40 + b];
  for (const p of rest) {
    const chunk: number[] = [p & 0x7f];
    for (let v = Math.floor(p / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift(0x80 | (v & 0x7f));
    out.push(...chunk);
  }
  return tlv(TAG.oid, Buffer.from(out));
}

/** [n] EXPLICIT (constructed, context-specific). */
export const explicit = (n: number, inner: Uint8Array) => tlv(0xa0 | n, inner);
/** [n] IMPLICIT primitive (e.g. GeneralName dNSName [2], iPAddress [7]). */
export const implicitPrimitive = (n: number, content: Uint8Array) => tlv(0x80 | n, content);

/** UTCTime for 1950–2049, GeneralizedTime otherwise (RFC 5280 §4.1.2.5). */
export function time(ms: number): Buffer {
  const d = new Date(Math.floor(ms / 1000) * 1000);
  const iso = d.toISOString(); // 2026-11-21T05:24:00.000Z
  const y = d.getUTCFullYear();
  const body = `${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  if (y >= 1950 && y < 2050)
    return tlv(TAG.utcTime, Buffer.from(`${String(y % 100).padStart(2, "0")}${body}`));
  return tlv(TAG.generalizedTime, Buffer.from(`${String(y).padStart(4, "0")}${body}`));
}

/** One decoded TLV: tag, the content bytes, and the whole encoding. */
export interface Node {
  tag: number;
  content: Buffer;
  raw: Buffer;
}

/** Reads one TLV at `offset`; throws on truncated or indefinite-length input. */
export function read(buf: Buffer, offset = 0): Node & { end: number } {
  const tag = buf[offset];
  let len = buf[offset + 1];
  if (tag === undefined || len === undefined) throw new Error("DER: truncated");
  let at = offset + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw new Error("DER: unsupported length");
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + (buf[at + i] ?? 0);
    at += n;
  }
  const end = at + len;
  if (end > buf.length) throw new Error("DER: truncated");
  return { tag, content: buf.subarray(at, end), raw: buf.subarray(offset, end), end };
}

/** The TLVs inside a constructed value (SEQUENCE, SET, explicit tag). */
export function children(node: Node): Node[] {
  const out: Node[] = [];
  for (let at = 0; at < node.content.length; ) {
    const n = read(node.content, at);
    out.push(n);
    at = n.end;
  }
  return out;
}

export function decodeOid(content: Buffer): string {
  const first = content[0] ?? 0;
  const parts = [Math.floor(first / 40), first % 40];
  let v = 0;
  for (let i = 1; i < content.length; i++) {
    const b = content[i] ?? 0;
    v = v * 128 + (b & 0x7f);
    if ((b & 0x80) === 0) {
      parts.push(v);
      v = 0;
    }
  }
  return parts.join(".");
}
