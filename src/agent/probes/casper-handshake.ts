import { ProbeFailure } from "../../probes/failure.ts";
import { decode, MsgpackError, type MsgValue } from "../crypto/msgpack.ts";

/** What casper-node says about itself in `Message::Handshake` (CHAINS.md A.6). */
export interface CasperHandshake {
  networkName: string;
  protocolVersion?: string;
  isSyncing: boolean;
  chainspecHash?: string;
}

const FIELDS = [
  "network_name",
  "public_addr",
  "protocol_version",
  "consensus_certificate",
  "is_syncing",
  "chainspec_hash",
] as const;

/**
 * Reads the node's first frame. rmp-serde writes the enum externally tagged — `[0, [fields…]]` in the
 * 0.14 line casper-node pins, `{"Handshake": […]}` or `{0: […]}` in later ones — and the struct as an
 * array in field order (or a map with struct-map encoding). All of those are accepted. The node's
 * public address is never read out: it is an IP, which results must not carry.
 */
export function parseCasperHandshake(frame: Uint8Array): CasperHandshake {
  let msg: MsgValue;
  try {
    msg = decode(frame);
  } catch (e) {
    const why = e instanceof MsgpackError ? e.message : "undecodable";
    throw new ProbeFailure("protocol", `handshake frame is not MessagePack (${why})`);
  }
  let tag: MsgValue | undefined;
  let body: MsgValue | undefined;
  if (Array.isArray(msg) && msg.length === 2) [tag, body] = msg;
  else if (msg instanceof Map && msg.size === 1) {
    const [entry] = [...msg];
    [tag, body] = entry ?? [undefined, undefined];
  } else throw new ProbeFailure("protocol", "first frame is not a Casper network message");
  if (tag !== 0 && tag !== "Handshake") {
    throw new ProbeFailure("protocol", `first message is ${describeTag(tag)}, not a Handshake`);
  }
  const field = (name: (typeof FIELDS)[number]): MsgValue | undefined => {
    if (Array.isArray(body)) return body[FIELDS.indexOf(name)];
    if (body instanceof Map) return body.get(name);
    return undefined;
  };
  const networkName = field("network_name");
  if (typeof networkName !== "string" || networkName.length === 0 || networkName.length > 128) {
    throw new ProbeFailure("protocol", "handshake has no network_name");
  }
  const hash = field("chainspec_hash");
  return {
    networkName,
    protocolVersion: versionOf(field("protocol_version")),
    isSyncing: field("is_syncing") === true,
    chainspecHash: hash instanceof Uint8Array ? Buffer.from(hash).toString("hex") : undefined,
  };
}

/** ProtocolVersion is a SemVer: "1.5.8" when human-readable, [1, 5, 8] or {major, minor, patch} otherwise. */
function versionOf(v: MsgValue | undefined): string | undefined {
  if (typeof v === "string" && /^\d+\.\d+\.\d+$/.test(v)) return v;
  const parts = Array.isArray(v)
    ? v
    : v instanceof Map
      ? [v.get("major"), v.get("minor"), v.get("patch")]
      : undefined;
  if (parts?.length === 3 && parts.every((p) => typeof p === "number" && Number.isInteger(p) && p >= 0)) {
    return parts.join(".");
  }
  return undefined;
}

function describeTag(tag: MsgValue | undefined): string {
  if (typeof tag === "number") return `variant ${tag}`;
  if (typeof tag === "string" && /^[A-Za-z]{1,30}$/.test(tag)) return tag;
  return "an unknown variant";
}
