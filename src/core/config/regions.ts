import { z } from "zod";

/** Cloudflare Durable Object location hints: each region gets its own prober objects. */
export const REGIONS = ["wnam", "enam", "sam", "weur", "eeur", "apac", "oc", "afr", "me"] as const;

export const RegionSchema = z.enum(REGIONS);
export type Region = z.infer<typeof RegionSchema>;
