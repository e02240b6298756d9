/** 0.99995 → "99.995%" (rounded down: a page never claims more uptime than there was). */
export const pct = (v: number | null) =>
  v === null ? "no data" : `${(Math.floor(v * 100_000) / 1000).toFixed(3)}%`;

/** An RFC 3339 time as the page shows it: minutes, UTC. */
export const when = (iso: string) => `${iso.slice(0, 16).replace("T", " ")} UTC`;
