import { z } from "zod";
import { formatPath } from "../../core/config/load.ts";

export interface ParamIssue {
  parameter: string;
  message: string;
}

/** A request the API refuses, with every bad parameter named. */
export class BadRequest extends Error {
  readonly issues: ParamIssue[];
  constructor(issues: ParamIssue[]) {
    super(issues.map((i) => `${i.parameter}: ${i.message}`).join("; "));
    this.issues = issues;
  }
}

export function parseParams<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  throw new BadRequest(r.error.issues.map((i) => ({ parameter: formatPath(i.path), message: i.message })));
}

/** A time as RFC 3339 or unix milliseconds. */
export const TimeParam = z.string().transform((s, ctx) => {
  const t = /^\d{1,15}$/.test(s) ? Number(s) : Date.parse(s);
  if (!Number.isFinite(t) || !/^\d{1,15}$|^\d{4}-\d\d-\d\dT/.test(s)) {
    ctx.addIssue({ code: "custom", message: "expected an RFC 3339 time or unix milliseconds" });
    return z.NEVER;
  }
  return t;
});

export const LimitParam = (max: number, fallback: number) =>
  z
    .string()
    .regex(/^\d+$/, "expected a whole number")
    .transform(Number)
    .pipe(z.number().int().min(1).max(max))
    .optional()
    .transform((v) => v ?? fallback);
