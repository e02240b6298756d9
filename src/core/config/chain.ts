import { z } from "zod";

/** The chains a monitor can belong to; `generic` is any HTTP/TCP endpoint. */
export const ChainSchema = z.enum(["casper", "nano", "chia", "generic"]);
export type Chain = z.infer<typeof ChainSchema>;
