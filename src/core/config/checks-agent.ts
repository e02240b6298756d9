import { z } from "zod";

/**
 * Check kinds only the companion agent (src/agent) can run: Workers cannot send UDP, read a peer
 * certificate, present a client certificate, or talk to a server with a private CA. A monitor with
 * one of these kinds has no regions (`"regions": []`) and lists the agents that probe it.
 *
 * This module imports nothing from checks.ts on purpose: checks.ts may spread AGENT_CHECKS into its
 * own union, and an import back would be a cycle.
 */

const host = z.string().min(1).max(253).describe("Host name or IP address, as seen from the agent's host");
const port = (fallback: number) => z.number().int().min(1).max(65_535).default(fallback);

const filePath = z.string().min(1).max(1024);

export const TlsCertCheckSchema = z
  .strictObject({
    kind: z.literal("tls-cert"),
    host,
    port: port(443),
    servername: z
      .string()
      .min(1)
      .max(253)
      .optional()
      .describe("SNI name to ask for; default: host (none for an IP address)"),
    warnDays: z
      .number()
      .min(0)
      .max(3650)
      .default(14)
      .describe("Fewer days left than this (leaf or any certificate in the chain) is degraded"),
    criticalDays: z.number().min(0).max(3650).default(3).describe("Fewer days left than this is down"),
    caFile: filePath
      .optional()
      .describe("PEM CA bundle the chain must verify against (reported as trusted); default: system roots"),
  })
  .refine((c) => c.criticalDays <= c.warnDays, {
    path: ["criticalDays"],
    message: "criticalDays must not exceed warnDays",
  });

export const CasperP2pCheckSchema = z.strictObject({
  kind: z.literal("casper-p2p"),
  host,
  port: port(35_000),
  chainName: z
    .string()
    .min(1)
    .max(128)
    .optional()
    .describe("network_name the node must announce in its handshake (casper, casper-test); another fails"),
  maxFrameBytes: z.number().int().min(64).max(1_048_576).default(65_536),
});

export const NanoNetworkSchema = z.enum(["live", "beta", "test", "dev"]);
export type NanoNetwork = z.infer<typeof NanoNetworkSchema>;

export const NanoPeeringCheckSchema = z.strictObject({
  kind: z.literal("nano-peering"),
  host,
  port: port(7075),
  network: NanoNetworkSchema.default("live"),
  genesis: z
    .string()
    .regex(/^[0-9A-Fa-f]{64}$/, "a 64-hex genesis block hash")
    .optional()
    .describe("Genesis hash a v2 handshake must carry; default: the live network's for network live"),
});

export const NanoUdpKeepaliveCheckSchema = z.strictObject({
  kind: z.literal("nano-udp-keepalive"),
  host,
  port: port(7075),
  network: NanoNetworkSchema.default("live"),
});

const hex = z.string().regex(/^(?:[0-9A-Fa-f]{2})+$/, "hex bytes, e.g. 0a0b0c");

export const UdpCheckSchema = z
  .strictObject({
    kind: z.literal("udp"),
    host,
    port: z.number().int().min(1).max(65_535),
    sendHex: hex.max(2 * 1400).optional(),
    sendText: z.string().max(1400).optional(),
    expectHex: hex.max(512).optional().describe("The reply must start with these bytes"),
    expectText: z.string().max(256).optional().describe("The reply must contain this text"),
  })
  .refine((c) => (c.sendHex === undefined) !== (c.sendText === undefined), {
    path: ["sendHex"],
    message: "set exactly one of sendHex and sendText",
  });

/**
 * Where the node's private CA and a client certificate signed by it live. `chiaRoot` (e.g.
 * /home/chia/.chia/mainnet) picks the files Chia itself uses for the service; single paths override.
 */
const ChiaTlsFields = {
  chiaRoot: filePath.optional().describe("CHIA_ROOT; certificates are read from <chiaRoot>/config/ssl"),
  caFile: filePath.optional().describe("The private CA certificate (ssl/ca/private_ca.crt)"),
  certFile: filePath.optional().describe("A client certificate signed by the private CA"),
  keyFile: filePath.optional().describe("Its private key"),
};

const hasTlsFiles = (c: { chiaRoot?: string; caFile?: string; certFile?: string; keyFile?: string }) =>
  c.chiaRoot !== undefined || (c.caFile !== undefined && c.certFile !== undefined && c.keyFile !== undefined);
const tlsFilesMessage = {
  path: ["chiaRoot"],
  message: "set chiaRoot, or all of caFile, certFile and keyFile",
};

export const ChiaServiceSchema = z.enum([
  "full_node",
  "farmer",
  "harvester",
  "wallet",
  "data_layer",
  "daemon",
]);
export type ChiaService = z.infer<typeof ChiaServiceSchema>;

export const ChiaRpcCheckSchema = z
  .strictObject({
    kind: z.literal("chia-rpc"),
    url: z
      .url({ protocol: /^https$/, error: "an https URL such as https://localhost:8555" })
      .max(2048)
      .describe("RPC base URL: full node 8555, farmer 8559, harvester 8560, wallet 9256, DataLayer 8562"),
    service: ChiaServiceSchema.exclude(["daemon"])
      .default("full_node")
      .describe("Which service's client certificate chiaRoot picks"),
    endpoint: z
      .enum(["get_blockchain_state", "healthz"])
      .default("get_blockchain_state")
      .describe("get_blockchain_state (full node only) or healthz (any service)"),
    maxBodyBytes: z.number().int().min(1024).max(8_388_608).default(1_048_576),
    ...ChiaTlsFields,
  })
  .refine(hasTlsFiles, tlsFilesMessage)
  .refine((c) => c.endpoint === "healthz" || c.service === "full_node", {
    path: ["endpoint"],
    message: "get_blockchain_state is a full node endpoint; use healthz for other services",
  });

export const ChiaDaemonCheckSchema = z
  .strictObject({
    kind: z.literal("chia-daemon"),
    url: z
      .url({ protocol: /^wss$/, error: "a wss URL such as wss://localhost:55400" })
      .max(2048)
      .describe("The daemon WebSocket (port 55400)"),
    maxMessageBytes: z.number().int().min(256).max(1_048_576).default(65_536),
    ...ChiaTlsFields,
  })
  .refine(hasTlsFiles, tlsFilesMessage);

/** Spread into a discriminated union (schema.ts nests AgentCheckSchema; checks.ts may spread this). */
export const AGENT_CHECKS = [
  TlsCertCheckSchema,
  CasperP2pCheckSchema,
  NanoPeeringCheckSchema,
  NanoUdpKeepaliveCheckSchema,
  UdpCheckSchema,
  ChiaRpcCheckSchema,
  ChiaDaemonCheckSchema,
] as const;

export const AgentCheckSchema = z.discriminatedUnion("kind", [...AGENT_CHECKS]);
export type AgentCheck = z.infer<typeof AgentCheckSchema>;
export type AgentCheckKind = AgentCheck["kind"];
export type AgentCheckOf<K extends AgentCheckKind> = Extract<AgentCheck, { kind: K }>;

/** Which chain an agent kind belongs to; chain-neutral kinds (tls-cert, udp) are absent. */
export const AGENT_CHECK_CHAIN: Partial<Record<string, "casper" | "nano" | "chia">> = {
  "casper-p2p": "casper",
  "nano-peering": "nano",
  "nano-udp-keepalive": "nano",
  "chia-rpc": "chia",
  "chia-daemon": "chia",
};

export const AGENT_ONLY_KINDS: ReadonlySet<string> = new Set<string>(
  AGENT_CHECKS.map((s) => s.shape.kind.value),
);

export function isAgentOnlyKind(kind: string): kind is AgentCheckKind {
  return AGENT_ONLY_KINDS.has(kind);
}

/** Narrows any monitor check to an agent-only one. */
export function isAgentCheck(check: { kind: string }): check is AgentCheck {
  return AGENT_ONLY_KINDS.has(check.kind);
}
