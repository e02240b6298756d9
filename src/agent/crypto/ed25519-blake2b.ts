import { blake2b } from "./blake2b.ts";

/**
 * Ed25519 with BLAKE2b-512 in place of SHA-512: the signature scheme of Nano node ids and blocks.
 * node:crypto's Ed25519 hard-wires SHA-512, so the curve arithmetic is done here with BigInt
 * (extended twisted-Edwards coordinates, RFC 8032 §5.1). Verification is all the agent needs; the
 * tests sign with the same code to play a Nano node. Not constant-time: it handles public data only
 * (and throw-away test keys).
 */

const P = 2n ** 255n - 19n;
const L = 2n ** 252n + 27742317777372353535851937790883648493n;
const D = mod(-121665n * inv(121666n));
const SQRT_M1 = pow(2n, (P - 1n) / 4n);

function mod(a: bigint, m = P): bigint {
  const r = a % m;
  return r >= 0n ? r : r + m;
}

function pow(b: bigint, e: bigint, m = P): bigint {
  let r = 1n;
  let x = mod(b, m);
  for (let k = e; k > 0n; k >>= 1n) {
    if (k & 1n) r = (r * x) % m;
    x = (x * x) % m;
  }
  return r;
}

function inv(a: bigint): bigint {
  return pow(a, P - 2n);
}

type Point = [bigint, bigint, bigint, bigint]; // X, Y, Z, T with x = X/Z, y = Y/Z, xy = T/Z

const ZERO: Point = [0n, 1n, 1n, 0n];

function add(p: Point, q: Point): Point {
  const [x1, y1, z1, t1] = p;
  const [x2, y2, z2, t2] = q;
  const a = mod((y1 - x1) * (y2 - x2));
  const b = mod((y1 + x1) * (y2 + x2));
  const c = mod(2n * D * t1 * t2);
  const d = mod(2n * z1 * z2);
  const e = b - a;
  const f = d - c;
  const g = d + c;
  const h = b + a;
  return [mod(e * f), mod(g * h), mod(f * g), mod(e * h)];
}

function mul(s: bigint, p: Point): Point {
  let q = ZERO;
  let r = p;
  for (let k = s; k > 0n; k >>= 1n) {
    if (k & 1n) q = add(q, r);
    r = add(r, r);
  }
  return q;
}

function recoverX(y: bigint, sign: number): bigint | undefined {
  if (y >= P) return undefined;
  const x2 = mod((y * y - 1n) * inv(D * y * y + 1n));
  if (x2 === 0n) return sign ? undefined : 0n;
  let x = pow(x2, (P + 3n) / 8n);
  if (mod(x * x - x2) !== 0n) x = mod(x * SQRT_M1);
  if (mod(x * x - x2) !== 0n) return undefined;
  if (Number(x & 1n) !== sign) x = P - x;
  return x;
}

const BY = mod(4n * inv(5n));
const BASE: Point = (() => {
  const x = recoverX(BY, 0) as bigint;
  return [x, BY, 1n, mod(x * BY)];
})();

function leToBig(b: Uint8Array): bigint {
  let r = 0n;
  for (let i = b.length - 1; i >= 0; i--) r = (r << 8n) | BigInt(b[i] ?? 0);
  return r;
}

function bigToLe(n: bigint, len: number): Uint8Array {
  const out = new Uint8Array(len);
  let v = n;
  for (let i = 0; i < len; i++) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

function encodePoint(p: Point): Uint8Array {
  const [x, y, z] = p;
  const zi = inv(z);
  const ax = mod(x * zi);
  const ay = mod(y * zi);
  const out = bigToLe(ay, 32);
  out[31] = (out[31] ?? 0) | (Number(ax & 1n) << 7);
  return out;
}

function decodePoint(b: Uint8Array): Point | undefined {
  if (b.length !== 32) return undefined;
  const bytes = Uint8Array.from(b);
  const sign = (bytes[31] ?? 0) >> 7;
  bytes[31] = (bytes[31] ?? 0) & 0x7f;
  const y = leToBig(bytes);
  const x = recoverX(y, sign);
  if (x === undefined) return undefined;
  return [x, y, 1n, mod(x * y)];
}

function equal(p: Point, q: Point): boolean {
  const [x1, y1, z1] = p;
  const [x2, y2, z2] = q;
  return mod(x1 * z2 - x2 * z1) === 0n && mod(y1 * z2 - y2 * z1) === 0n;
}

const hashInt = (...parts: Uint8Array[]) => {
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return leToBig(blake2b(all, 64));
};

function expand(seed: Uint8Array): { a: bigint; prefix: Uint8Array } {
  const h = blake2b(seed, 64);
  const a = Uint8Array.from(h.subarray(0, 32));
  a[0] = (a[0] ?? 0) & 248;
  a[31] = ((a[31] ?? 0) & 127) | 64;
  return { a: leToBig(a), prefix: h.subarray(32) };
}

/** The public key of a 32-byte private key (seed). */
export function publicKeyOf(seed: Uint8Array): Uint8Array {
  return encodePoint(mul(expand(seed).a, BASE));
}

export function sign(seed: Uint8Array, message: Uint8Array): Uint8Array {
  const { a, prefix } = expand(seed);
  const pub = encodePoint(mul(a, BASE));
  const r = mod(hashInt(prefix, message), L);
  const rEnc = encodePoint(mul(r, BASE));
  const k = mod(hashInt(rEnc, pub, message), L);
  const s = mod(r + k * a, L);
  const out = new Uint8Array(64);
  out.set(rEnc);
  out.set(bigToLe(s, 32), 32);
  return out;
}

export function verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== 64 || publicKey.length !== 32) return false;
  const a = decodePoint(publicKey);
  const r = decodePoint(signature.subarray(0, 32));
  if (!a || !r) return false;
  const s = leToBig(signature.subarray(32));
  if (s >= L) return false;
  const k = mod(hashInt(signature.subarray(0, 32), publicKey, message), L);
  return equal(mul(s, BASE), add(r, mul(k, a)));
}
