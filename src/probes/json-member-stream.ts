import { abortable, type Deadline } from "./deadline.ts";
import { asBodyError, ProbeFailure } from "./failure.ts";

interface Frame {
  type: "object" | "array";
  /** An object's key being read or just read. */
  key?: string;
  expectingKey: boolean;
}

/**
 * Reads a JSON body only as far as one member, found by its path of object keys (for example
 * `["result", "auction_state", "era_validators"]`), parses that member and cancels the rest of
 * the stream. Casper's auction answer puts the small era_validators before bids that run to
 * megabytes on mainnet: this reads kilobytes instead. The member must be an object or an array.
 * Bounded by `maxBytes` and the deadline either way.
 */
export async function readJsonMember(
  body: ReadableStream<Uint8Array>,
  path: readonly string[],
  maxBytes: number,
  deadline: Deadline,
): Promise<{ value: unknown; bytesRead: number }> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const stack: Frame[] = [];
  let text = "";
  let scanned = 0;
  let bytesRead = 0;
  let inString = false;
  let escaped = false;
  let keyChars: string | undefined;
  let start = -1;

  const atPath = () =>
    stack.length === path.length && stack.every((f, i) => f.type === "object" && f.key === path[i]);

  try {
    for (;;) {
      const { done, value } = await abortable(reader.read(), deadline.signal);
      if (done) break;
      bytesRead += value.byteLength;
      if (bytesRead > maxBytes)
        throw new ProbeFailure("too_large", `no ${path.join(".")} within the first ${maxBytes} bytes`);
      text += decoder.decode(value, { stream: true });
      for (; scanned < text.length; scanned++) {
        const c = text[scanned];
        if (inString) {
          if (escaped) escaped = false;
          else if (c === "\\") escaped = true;
          else if (c === '"') {
            inString = false;
            const top = stack.at(-1);
            if (keyChars !== undefined && top) top.key = keyChars;
            keyChars = undefined;
          } else if (keyChars !== undefined) keyChars += c;
          continue;
        }
        const top = stack.at(-1);
        if (c === '"') {
          inString = true;
          keyChars = top?.type === "object" && top.expectingKey ? "" : undefined;
        } else if (c === "{" || c === "[") {
          if (start < 0 && atPath()) start = scanned;
          stack.push({ type: c === "{" ? "object" : "array", expectingKey: c === "{" });
        } else if (c === "}" || c === "]") {
          stack.pop();
          if (start >= 0 && stack.length === path.length) {
            return { value: JSON.parse(text.slice(start, scanned + 1)), bytesRead };
          }
        } else if (c === ":" && top) top.expectingKey = false;
        else if (c === "," && top?.type === "object") top.expectingKey = true;
      }
      // Before the member starts, what was scanned is not needed again.
      if (start < 0 && !inString) {
        text = "";
        scanned = 0;
      }
    }
  } catch (err) {
    if (err instanceof ProbeFailure) throw err;
    if (err instanceof SyntaxError) throw new ProbeFailure("bad_body", `${path.join(".")} is not JSON`);
    throw asBodyError(err);
  } finally {
    reader.cancel().catch(() => {});
  }
  throw new ProbeFailure("bad_body", `the answer has no ${path.join(".")}`);
}
