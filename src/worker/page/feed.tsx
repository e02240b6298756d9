/** @jsxImportSource hono/jsx */
import type { PlannedMaintenance } from "../api/maintenance.ts";
import type { PageIncident } from "./incidents.tsx";
import { renderToString } from "./jsx.ts";

const ATOM = "http://www.w3.org/2005/Atom";

export interface FeedModel {
  title: string;
  /** The site's origin, e.g. https://status.example (entry links are absolute). */
  origin: string;
  generatedAt: string;
  incidents: readonly PageIncident[];
  maintenance: readonly PlannedMaintenance[];
  names: ReadonlyMap<string, string>;
}

interface Entry {
  id: string;
  title: string;
  updated: string;
  published: string;
  link: string;
  text: string;
}

/** An incident's entry: updated whenever it closes or gets a note, so readers see it again. */
function incidentEntry(i: PageIncident, origin: string): Entry {
  const times = [i.openedAt, i.closedAt ?? i.openedAt, ...i.notes.map((n) => n.at)].sort();
  const lines = [
    `${i.monitorName} ${i.state} since ${i.openedAt}${i.closedAt ? `, resolved ${i.closedAt}` : " (ongoing)"}.`,
    ...i.reasons.map((r) => `Reason: ${r}`),
    ...i.notes.map((n) => `${n.at}: ${n.text}`),
  ];
  return {
    id: `${origin}/monitors/${encodeURIComponent(i.monitorId)}#incident-${encodeURIComponent(i.id)}`,
    title: `${i.closedAt ? "Resolved" : "Ongoing"}: ${i.monitorName} ${i.state}`,
    updated: times.at(-1) ?? i.openedAt,
    published: i.openedAt,
    link: `${origin}/monitors/${encodeURIComponent(i.monitorId)}`,
    text: lines.join("\n"),
  };
}

function maintenanceEntry(w: PlannedMaintenance, model: FeedModel): Entry {
  const names = w.monitors.map((id) => model.names.get(id) ?? id);
  return {
    id: `${model.origin}/#maintenance-${encodeURIComponent(w.id)}-${w.start}`,
    title: `Maintenance: ${w.title ?? w.id}`,
    // Known since it was planned; the window's start is the most useful date a reader can sort by.
    updated: w.start,
    published: w.start,
    link: `${model.origin}/`,
    text: `${w.start} – ${w.end}${names.length > 0 ? `: ${names.join(", ")}` : ""}`,
  };
}

/** An Atom 1.0 feed (RFC 4287) of incidents and maintenance windows, newest first; escaped by construction. */
export function renderFeed(model: FeedModel): string {
  const entries = [
    ...model.incidents.map((i) => incidentEntry(i, model.origin)),
    ...model.maintenance.map((w) => maintenanceEntry(w, model)),
  ].sort((a, b) => b.updated.localeCompare(a.updated));
  const updated = entries[0]?.updated ?? model.generatedAt;
  const feed = (
    <feed xmlns={ATOM}>
      <id>{`${model.origin}/feed.atom`}</id>
      <title>{`${model.title}: incidents and maintenance`}</title>
      <updated>{updated}</updated>
      <link rel="self" type="application/atom+xml" href={`${model.origin}/feed.atom`} />
      <link rel="alternate" type="text/html" href={`${model.origin}/`} />
      <author>
        <name>{model.title}</name>
      </author>
      <generator>chain-uptime</generator>
      {entries.map((e) => (
        <entry>
          <id>{e.id}</id>
          <title>{e.title}</title>
          <updated>{e.updated}</updated>
          <published>{e.published}</published>
          <link rel="alternate" type="text/html" href={e.link} />
          <content type="text">{e.text}</content>
        </entry>
      ))}
    </feed>
  );
  return `<?xml version="1.0" encoding="utf-8"?>\n${renderToString(feed)}`;
}
