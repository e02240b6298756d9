/** @jsxImportSource hono/jsx */
import type { FC } from "hono/jsx";
import { pct } from "./format.ts";
import type { PageMonitor } from "./monitor.tsx";
import { Reasons } from "./reasons.tsx";

const short = (key: string) => (key.length > 20 ? `${key.slice(0, 10)}…${key.slice(-6)}` : key);
const RANK = ["down", "degraded", "unknown", "maintenance", "up"];

/**
 * Validator keys per operator: is each key doing its job as the network sees it (in the era's set,
 * proposing, online, farming), with the reasons when not. Nodes stay in the groups below; a key
 * whose ports all answer can still show here as down.
 */
export const ValidatorsSection: FC<{ list: readonly PageMonitor[] }> = ({ list }) => {
  const operators = new Map<string, PageMonitor[]>();
  for (const pm of list) {
    const name = pm.operator ?? "no operator";
    operators.set(name, [...(operators.get(name) ?? []), pm]);
  }
  return (
    <section id="validators" class="group">
      <h2>Validators</h2>
      {[...operators.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([operator, members]) => (
          <div class="validator-operator" data-operator={operator}>
            <h3>{operator}</h3>
            <ul class="rows">
              {[...members]
                .sort((a, b) => RANK.indexOf(a.monitor.state) - RANK.indexOf(b.monitor.state))
                .map((pm) => {
                  const m = pm.monitor;
                  const key = m.validator?.key ?? "";
                  return (
                    <li class="row validator" data-monitor={m.id} data-state={m.state} data-chain={m.chain}>
                      <a href={`/monitors/${encodeURIComponent(m.id)}`}>{m.name}</a>{" "}
                      <span class="muted">{m.chain}</span>{" "}
                      {key && key !== "farmer" ? (
                        <code class="key" title={key}>
                          {short(key)}
                        </code>
                      ) : null}{" "}
                      <span class={`state state-${m.state}`}>{m.state}</span>{" "}
                      <span class="muted">30 days: {pct(m.uptime["30d"])}</span>
                      <Reasons list={m.state === "up" ? [] : m.reasons} />
                    </li>
                  );
                })}
            </ul>
          </div>
        ))}
    </section>
  );
};
