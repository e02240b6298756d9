/** FNV-1a 32-bit: stable across runtimes, so the Worker and the agent place monitors alike. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Murmur3's 32-bit finalizer: spreads every bit of `h` into every bit of the result. FNV-1a's low
 * bits are weak (its lowest bit is the parity of the input's low bits, whatever the salt), so two
 * values taken modulo small numbers from fnv1a of related strings move together; after this, not.
 */
export function mix32(h: number): number {
  let x = h >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}
