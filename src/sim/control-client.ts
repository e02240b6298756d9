import type { FaultSpec, FleetInfo, SimNodeInfo, SimNodeStats } from "./types.ts";

/** Talks to the fleet's control server; plain fetch, so it runs in Node and in workerd tests. */
export class FleetControl {
  private readonly controlUrl: string;

  constructor(controlUrl: string) {
    this.controlUrl = controlUrl;
  }

  async nodes(): Promise<SimNodeInfo[]> {
    return this.call<SimNodeInfo[]>("GET", "/nodes");
  }

  async setFault(id: string, spec: FaultSpec): Promise<SimNodeInfo> {
    return this.call<SimNodeInfo>("PUT", `/nodes/${encodeURIComponent(id)}/fault`, spec);
  }

  async heal(id: string): Promise<SimNodeInfo> {
    return this.setFault(id, { fault: "healthy" });
  }

  async stats(id: string): Promise<SimNodeStats> {
    return this.call<SimNodeStats>("GET", `/nodes/${encodeURIComponent(id)}/stats`);
  }

  async resetStats(id: string): Promise<void> {
    await this.call("POST", `/nodes/${encodeURIComponent(id)}/stats/reset`);
  }

  async info(): Promise<FleetInfo> {
    return { controlUrl: this.controlUrl, nodes: await this.nodes() };
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
