/**
 * JSON.parse that keeps integers beyond 2^53 exact, as decimal strings (Chia's `space` is ~3·10^19).
 * Uses the reviver's source text (V8 ≥ 11.4, Node ≥ 21); other numbers stay numbers.
 */
type ReviverContext = { source?: string };

export function parseJsonLossless(text: string): unknown {
  const reviver = (_key: string, value: unknown, context?: ReviverContext) => {
    if (typeof value === "number" && !Number.isSafeInteger(value) && Number.isInteger(value)) {
      const source = context?.source;
      if (source !== undefined && /^-?\d+$/.test(source)) return source;
    }
    return value;
  };
  return JSON.parse(text, reviver as (this: unknown, key: string, value: unknown) => unknown);
}
