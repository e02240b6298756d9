/** @jsxImportSource hono/jsx */
import type { FC } from "hono/jsx";
import { when } from "./format.ts";
import { Reasons } from "./reasons.tsx";

export interface PageNote {
  at: string;
  text: string;
}

export interface PageIncident {
  id: string;
  monitorId: string;
  monitorName: string;
  state: "down" | "degraded";
  openedAt: string;
  closedAt: string | null;
  reasons: string[];
  notes: PageNote[];
}

export const IncidentList: FC<{ list: readonly PageIncident[]; empty: string }> = ({ list, empty }) =>
  list.length === 0 ? (
    <p class="muted">{empty}</p>
  ) : (
    <>
      {list.map((i) => (
        <article
          class="incident"
          data-incident={i.id}
          data-open={String(i.closedAt === null)}
          data-state={i.state}
        >
          <div class="head">
            <span class="name">{i.monitorName}</span>
            <span class={`state state-${i.state}`}>{i.state}</span>
            <span class="muted">
              {when(i.openedAt)} – {i.closedAt ? when(i.closedAt) : "ongoing"}
            </span>
          </div>
          <Reasons list={i.reasons} />
          {i.notes.map((n) => (
            <p class="note">
              <span class="muted">{when(n.at)}</span> {n.text}
            </p>
          ))}
        </article>
      ))}
    </>
  );
