/**
 * A minimal MessagePack codec: enough to read casper-node's handshake frame (rmp-serde output) and,
 * in tests, to write one. Decoding is bounded: nesting depth, element counts and lengths are all
 * checked against the input, so a hostile frame fails with an error instead of allocating.
 */

export type MsgValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | MsgValue[]
  | Map<MsgValue, MsgValue>;

export class MsgpackError extends Error {}

const MAX_DEPTH = 32;

export function decode(buf: Uint8Array): MsgValue {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let at = 0;
  const need = (n: number) => {
    if (at + n > buf.length) throw new MsgpackError("truncated MessagePack value");
  };
  const u8 = () => {
    need(1);
    return view.getUint8(at++);
  };
  const u16 = () => {
    need(2);
    const v = view.getUint16(at);
    at += 2;
    return v;
  };
  const u32 = () => {
    need(4);
    const v = view.getUint32(at);
    at += 4;
    return v;
  };
  const bytes = (n: number) => {
    need(n);
    const out = buf.subarray(at, at + n);
    at += n;
    return out;
  };
  const str = (n: number) => Buffer.from(bytes(n)).toString("utf8");
  const bigOrNumber = (v: bigint): number | bigint =>
    v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v;

  const value = (depth: number): MsgValue => {
    if (depth > MAX_DEPTH) throw new MsgpackError("MessagePack nested too deeply");
    const b = u8();
    if (b <= 0x7f) return b;
    if (b >= 0xe0) return b - 0x100;
    if ((b & 0xf0) === 0x80) return map(b & 0x0f, depth);
    if ((b & 0xf0) === 0x90) return array(b & 0x0f, depth);
    if ((b & 0xe0) === 0xa0) return str(b & 0x1f);
    switch (b) {
      case 0xc0:
        return null;
      case 0xc2:
        return false;
      case 0xc3:
        return true;
      case 0xc4:
        return new Uint8Array(bytes(u8()));
      case 0xc5:
        return new Uint8Array(bytes(u16()));
      case 0xc6:
        return new Uint8Array(bytes(u32()));
      case 0xca: {
        need(4);
        const v = view.getFloat32(at);
        at += 4;
        return v;
      }
      case 0xcb: {
        need(8);
        const v = view.getFloat64(at);
        at += 8;
        return v;
      }
      case 0xcc:
        return u8();
      case 0xcd:
        return u16();
      case 0xce:
        return u32();
      case 0xcf: {
        need(8);
        const v = view.getBigUint64(at);
        at += 8;
        return bigOrNumber(v);
      }
      case 0xd0: {
        need(1);
        return view.getInt8(at++);
      }
      case 0xd1: {
        need(2);
        const v = view.getInt16(at);
        at += 2;
        return v;
      }
      case 0xd2: {
        need(4);
        const v = view.getInt32(at);
        at += 4;
        return v;
      }
      case 0xd3: {
        need(8);
        const v = view.getBigInt64(at);
        at += 8;
        return bigOrNumber(v);
      }
      case 0xd9:
        return str(u8());
      case 0xda:
        return str(u16());
      case 0xdb:
        return str(u32());
      case 0xdc:
        return array(u16(), depth);
      case 0xdd:
        return array(u32(), depth);
      case 0xde:
        return map(u16(), depth);
      case 0xdf:
        return map(u32(), depth);
      // ext types carry nothing casper-node sends; skip their bytes and report null.
      case 0xd4:
        bytes(2);
        return null;
      case 0xd5:
        bytes(3);
        return null;
      case 0xd6:
        bytes(5);
        return null;
      case 0xd7:
        bytes(9);
        return null;
      case 0xd8:
        bytes(17);
        return null;
      case 0xc7:
        bytes(u8() + 1);
        return null;
      case 0xc8:
        bytes(u16() + 1);
        return null;
      case 0xc9:
        bytes(u32() + 1);
        return null;
      default:
        throw new MsgpackError(`invalid MessagePack byte 0x${b.toString(16)}`);
    }
  };
  // Each element takes at least one byte: a count beyond what is left is a lie, not a big array.
  const array = (n: number, depth: number): MsgValue[] => {
    if (n > buf.length - at) throw new MsgpackError("MessagePack array longer than its frame");
    const out: MsgValue[] = [];
    for (let i = 0; i < n; i++) out.push(value(depth + 1));
    return out;
  };
  const map = (n: number, depth: number): Map<MsgValue, MsgValue> => {
    if (n * 2 > buf.length - at) throw new MsgpackError("MessagePack map longer than its frame");
    const out = new Map<MsgValue, MsgValue>();
    for (let i = 0; i < n; i++) out.set(value(depth + 1), value(depth + 1));
    return out;
  };

  const v = value(0);
  if (at !== buf.length) throw new MsgpackError(`${buf.length - at} bytes after the MessagePack value`);
  return v;
}

/** Encodes a value (tests write handshake frames with it). Objects encode as maps. */
export function encode(v: MsgValue | Record<string, MsgValue>): Buffer {
  const parts: Buffer[] = [];
  const head = (...b: number[]) => parts.push(Buffer.from(b));
  const withLen = (
    small: number,
    l8: number | undefined,
    l16: number,
    l32: number,
    n: number,
    smallMax: number,
  ) => {
    if (n <= smallMax) head(small | n);
    else if (l8 !== undefined && n <= 0xff) head(l8, n);
    else if (n <= 0xffff) head(l16, n >> 8, n & 0xff);
    else head(l32, (n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
  };
  const put = (x: unknown): void => {
    if (x === null || x === undefined) head(0xc0);
    else if (x === true) head(0xc3);
    else if (x === false) head(0xc2);
    else if (typeof x === "number" && Number.isInteger(x) && x >= 0 && x <= 0xffffffff) {
      if (x <= 0x7f) head(x);
      else if (x <= 0xff) head(0xcc, x);
      else if (x <= 0xffff) head(0xcd, x >> 8, x & 0xff);
      else head(0xce, (x >>> 24) & 0xff, (x >>> 16) & 0xff, (x >>> 8) & 0xff, x & 0xff);
    } else if (typeof x === "number" && Number.isInteger(x) && x < 0 && x >= -32) {
      head(x & 0xff);
    } else if (typeof x === "number") {
      const b = Buffer.alloc(9);
      b[0] = 0xcb;
      b.writeDoubleBE(x, 1);
      parts.push(b);
    } else if (typeof x === "bigint") {
      const b = Buffer.alloc(9);
      b[0] = 0xcf;
      b.writeBigUInt64BE(x, 1);
      parts.push(b);
    } else if (typeof x === "string") {
      const s = Buffer.from(x, "utf8");
      withLen(0xa0, 0xd9, 0xda, 0xdb, s.length, 31);
      parts.push(s);
    } else if (x instanceof Uint8Array) {
      if (x.length <= 0xff) head(0xc4, x.length);
      else if (x.length <= 0xffff) head(0xc5, x.length >> 8, x.length & 0xff);
      else throw new MsgpackError("bin too long for this encoder");
      parts.push(Buffer.from(x));
    } else if (Array.isArray(x)) {
      withLen(0x90, undefined, 0xdc, 0xdd, x.length, 15);
      for (const e of x) put(e);
    } else if (x instanceof Map) {
      withLen(0x80, undefined, 0xde, 0xdf, x.size, 15);
      for (const [k, val] of x) {
        put(k);
        put(val);
      }
    } else if (typeof x === "object") {
      const entries = Object.entries(x as Record<string, unknown>);
      withLen(0x80, undefined, 0xde, 0xdf, entries.length, 15);
      for (const [k, val] of entries) {
        put(k);
        put(val);
      }
    } else {
      throw new MsgpackError(`cannot encode ${typeof x}`);
    }
  };
  put(v);
  return Buffer.concat(parts);
}
