import type {
  ChiaFaultSpec,
  FaultSpec,
  FleetInfo,
  JsonFaultSpec,
  NanoFaultSpec,
  SimChiaInfo,
  SimJsonInfo,
  SimMemberInfo,
  SimMemberStats,
  SimNanoInfo,
  SimNodeInfo,
  SimNodeStats,
} from "./types.ts";

/** Talks to the fleet's control server; plain fetch, so it runs in Node and in workerd tests. */
export class FleetControl {
  private readonly controlUrl: string;

  constructor(controlUrl: string) {
    this.controlUrl = controlUrl;
  }

  async nodes(): Promise<SimNodeInfo[]> {
    return this.call<SimNodeInfo[]>("GET", "/nodes");
  }

  /** Switches any member's fault; each kind has its own fault list (see types.ts). */
  async setFault(id: string, spec: FaultSpec): Promise<SimNodeInfo>;
  async setFault(id: string, spec: NanoFaultSpec): Promise<SimNanoInfo>;
  async setFault(id: string, spec: ChiaFaultSpec): Promise<SimChiaInfo>;
  async setFault(id: string, spec: JsonFaultSpec): Promise<SimJsonInfo>;
  async setFault(id: string, spec: object): Promise<SimNodeInfo | SimMemberInfo> {
    return this.call<SimNodeInfo | SimMemberInfo>("PUT", `/nodes/${encodeURIComponent(id)}/fault`, spec);
  }

  async heal(id: string): Promise<SimNodeInfo | SimMemberInfo> {
    return this.call<SimNodeInfo | SimMemberInfo>("PUT", `/nodes/${encodeURIComponent(id)}/fault`, {
      fault: "healthy",
    });
  }

  async stats(id: string): Promise<SimNodeStats> {
    return this.call<SimNodeStats>("GET", `/nodes/${encodeURIComponent(id)}/stats`);
  }

  /** Counters of a Nano, Chia or JSON member (requests keyed by its port names). */
  async memberStats(id: string): Promise<SimMemberStats> {
    return this.call<SimMemberStats>("GET", `/nodes/${encodeURIComponent(id)}/stats`);
  }

  async resetStats(id: string): Promise<void> {
    await this.call("POST", `/nodes/${encodeURIComponent(id)}/stats/reset`);
  }

  /** Every member by kind, with current heights and faults. */
  async info(): Promise<Required<FleetInfo>> {
    const fleet = await this.call<Omit<Required<FleetInfo>, "controlUrl">>("GET", "/fleet");
    return { controlUrl: this.controlUrl, ...fleet };
  }

  /** Switches a simulated validator (see CasperValidatorSet, NanoRepresentatives) by its key. */
  async setValidator(key: string, body: object): Promise<unknown> {
    return this.call("PUT", `/validators/${encodeURIComponent(key)}`, body);
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(this.controlUrl + path, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`fleet control ${method} ${path}: HTTP ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }
}
