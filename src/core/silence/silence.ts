import { z } from "zod";

/** A silence mutes alerts for some monitors (by id and/or tags) until a time. Scope like maintenance: both given, both must match. */
export const SilenceFieldsSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, "lowercase letters, digits, '-' and '_'"),
  monitors: z.array(z.string().min(1).max(63)).max(500).optional(),
  tags: z.record(z.string(), z.string().max(200)).optional(),
  until: z.iso.datetime({ offset: true }).describe("RFC 3339; alerts are muted until then"),
  reason: z.string().max(300).optional(),
});

const hasScope = (s: { monitors?: string[]; tags?: Record<string, string> }) =>
  (s.monitors?.length ?? 0) > 0 || Object.keys(s.tags ?? {}).length > 0;

export const SilenceSchema = SilenceFieldsSchema.refine(hasScope, {
  message: "a silence needs monitors or tags",
  path: ["monitors"],
});
export type Silence = z.infer<typeof SilenceSchema>;

export interface SilenceTarget {
  id: string;
  tags: Record<string, string>;
}

/** Whether `s` mutes alerts for `m` at `now`. */
export function silences(s: Silence, m: SilenceTarget, now: number): boolean {
  if (Date.parse(s.until) <= now) return false;
  const byId = s.monitors?.length ? s.monitors.includes(m.id) : true;
  const byTags = Object.entries(s.tags ?? {}).every(([k, v]) => m.tags[k] === v);
  return byId && byTags;
}

export const isSilenced = (list: readonly Silence[], m: SilenceTarget, now: number) =>
  list.some((s) => silences(s, m, now));
