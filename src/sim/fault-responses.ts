import type { ServerResponse } from "node:http";
import type { TimerSet } from "./timer-set.ts";

/** What a misconfigured reverse proxy in front of a node answers: status 200, an HTML error page. */
export const GARBAGE_PAGE =
  "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n" +
  "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

const CHUNK_BYTES = 64 * 1024;
const FILLER = Buffer.alloc(CHUNK_BYTES, "x");

export function sendGarbagePage(res: ServerResponse): void {
  res.writeHead(200, { "content-type": "text/html", "content-length": Buffer.byteLength(GARBAGE_PAGE) });
  res.end(GARBAGE_PAGE);
}

/**
 * Writes `prefix` then filler until `totalBytes` (or forever when undefined), pausing whenever
 * the socket buffer is full and giving up as soon as the client goes away, so a huge body costs
 * the simulator almost no memory however slowly it is read.
 */
export function streamFiller(res: ServerResponse, prefix: string, totalBytes: number | undefined): void {
  let remaining = totalBytes === undefined ? Number.POSITIVE_INFINITY : totalBytes;
  const head = Buffer.from(prefix).subarray(0, remaining);
  remaining -= head.length;
  if (head.length > 0 && !res.write(head)) {
    res.once("drain", pump);
    return;
  }
  pump();

  function pump(): void {
    while (remaining > 0 && !res.destroyed) {
      const chunk = remaining >= CHUNK_BYTES ? FILLER : FILLER.subarray(0, remaining);
      remaining -= chunk.length;
      if (!res.write(chunk)) {
        res.once("drain", pump);
        return;
      }
    }
    if (!res.destroyed) res.end();
  }
}

/**
 * Headers at once, then the body one byte every `everyMs`, never finished: the process answers
 * but its application is stuck mid-response. Stops when the client goes away.
 */
export function sendDrip(res: ServerResponse, everyMs: number, timers: TimerSet): void {
  res.writeHead(200, { "content-type": "application/json" });
  res.write("{");
  const timer = timers.every(everyMs, () => {
    if (!res.destroyed) res.write(" ");
  });
  res.once("close", () => timers.cancel(timer));
}

/** A 200 JSON response of `totalBytes` that never becomes valid JSON within any sane read limit. */
export function sendHugeBody(res: ServerResponse, totalBytes: number): void {
  res.writeHead(200, { "content-type": "application/json" });
  streamFiller(res, '{"padding":"', totalBytes);
}
