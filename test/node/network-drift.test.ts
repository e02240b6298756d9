import { describe, expect, it } from "vitest";
import { ChainRulesSchema } from "../../src/core/config/rules.ts";
import { versionDriftReason } from "../../src/core/drift.ts";
import { NETWORK_TTL_MS, NetworkView } from "../../src/core/state/network.ts";

describe("network view", () => {
  it("the reference is the median of fresh heights, never the maximum, and needs enough voters", () => {
    const v = new NetworkView();
    v.recordHeight("a", 100, 0);
    v.recordHeight("b", 102, 0);
    v.recordHeight("c", undefined, 0);
    expect(v.referenceAt(1000)).toEqual({ nodes: 2, needed: 3 }); // two voters: no reference
    v.recordHeight("c", 101, 0);
    expect(v.referenceAt(1000)).toEqual({ height: 101, nodes: 3, needed: 3 });
    v.recordHeight("d", 10_101, 0); // one node far ahead (a wrong fork) does not move it
    v.recordHeight("e", 101, 0);
    expect(v.referenceAt(1000).height).toBe(101);
    v.recordHeight("b", 90, 1000); // b moved on (a re-sync): its old height no longer counts
    expect(v.referenceAt(1000).height).toBe(101);
    expect(v.referenceAt(1000, 6)).toEqual({ nodes: 5, needed: 6 });
    expect(v.referenceAt(NETWORK_TTL_MS + 1001)).toEqual({ nodes: 0, needed: 3 });
  });

  it("heights from before a restart (restored or replayed) do not form a reference", () => {
    const v = new NetworkView();
    for (const id of ["a", "b", "c"]) v.recordHeight(id, 500, 0);
    const restored = NetworkView.from(v.toJSON());
    expect(restored.referenceAt(1000)).toEqual({ nodes: 0, needed: 3 });
    restored.recordHeight("a", 500, 500, false); // replayed after the restart: still not live
    expect(restored.referenceAt(1000).nodes).toBe(0);
    for (const id of ["a", "b", "c"]) restored.recordHeight(id, 510, 1000);
    expect(restored.referenceAt(1000).height).toBe(510);
  });

  it("majority version needs more than two thirds of at least three reporting monitors", () => {
    const v = new NetworkView();
    v.recordVersion("a", "2.0.0", 0);
    v.recordVersion("b", "2.0.0", 0);
    expect(v.majorityVersionAt(0)).toBeUndefined(); // two monitors are no majority to speak of
    v.recordVersion("c", "2.0.0", 0);
    expect(v.majorityVersionAt(0)).toBe("2.0.0");
    v.recordVersion("d", "1.5.8", 0);
    expect(v.majorityVersionAt(0)).toBe("2.0.0"); // 3 of 4
    v.recordVersion("e", "1.5.8", 0);
    expect(v.majorityVersionAt(0)).toBeUndefined(); // 3 of 5
    expect(NetworkView.from(JSON.parse(JSON.stringify(v.toJSON()))).majorityVersionAt(0)).toBeUndefined();
  });
});

describe("version drift", () => {
  const rules = (r: object) => ChainRulesSchema.parse(r);
  it("against the configured version, or the network's majority", () => {
    expect(versionDriftReason("1.5.8", rules({ expectVersion: "2.0.0" }), undefined)).toEqual({
      code: "version_drift",
      severity: "info",
      message: "runs version 1.5.8, expected 2.0.0 (configured)",
    });
    expect(versionDriftReason("1.5.8", rules({ versionDrift: "degraded" }), "2.0.0")?.severity).toBe("warn");
    expect(versionDriftReason("2.0.0", rules({}), "2.0.0")).toBeUndefined();
    expect(versionDriftReason("1.5.8", rules({}), undefined)).toBeUndefined();
    expect(versionDriftReason("1.5.8", rules({ versionDrift: "off" }), "2.0.0")).toBeUndefined();
  });
});
