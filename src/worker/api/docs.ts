import { Hono } from "hono";
import type { Env } from "../env.ts";

export const docsRoutes = new Hono<{ Bindings: Env }>();

/**
 * A small self-contained viewer for /openapi.json: lists operations, builds a form from each
 * one's parameters and sends the request from the browser (same origin). No third-party code;
 * the admin token typed in stays in the page (never stored, never sent anywhere but this API).
 * All rendering uses textContent, never innerHTML.
 */
const SCRIPT = `
(async () => {
  const root = document.getElementById("ops");
  const el = (tag, props = {}, ...kids) => {
    const n = document.createElement(tag);
    for (const [k, v] of Object.entries(props)) if (k === "text") n.textContent = v; else n.setAttribute(k, v);
    for (const k of kids) n.append(k);
    return n;
  };
  let doc;
  try { doc = await (await fetch("/openapi.json")).json(); }
  catch (e) { root.textContent = "could not load /openapi.json: " + e; return; }
  document.getElementById("title").textContent = doc.info.title + " API " + doc.info.version;
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const params = op.parameters || [];
      const form = el("form", { class: "try" });
      const inputs = params.map((p) => {
        const input = el("input", { name: p.name, placeholder: p.schema && p.schema.default !== undefined ? String(p.schema.default) : (p.required ? "required" : "") });
        form.append(el("label", {}, el("span", { text: p.name + " (" + p.in + ")" }), input));
        return { p, input };
      });
      let body;
      if (op.requestBody) { body = el("textarea", { rows: "5", placeholder: "JSON body" }); form.append(el("label", {}, el("span", { text: "body" }), body)); }
      let token;
      if (op.security) { token = el("input", { type: "password", placeholder: op.security[0].adminBearer ? "admin bearer token" : "agent requests are signed; use the agent" }); form.append(el("label", {}, el("span", { text: "auth" }), token)); }
      const out = el("pre", { class: "out" });
      form.append(el("button", { type: "submit", text: "Send" }), out);
      form.addEventListener("submit", async (ev) => {
        ev.preventDefault();
        let url = path;
        const qs = new URLSearchParams();
        for (const { p, input } of inputs) {
          if (!input.value) continue;
          if (p.in === "path") url = url.replace("{" + p.name + "}", encodeURIComponent(input.value));
          else qs.set(p.name, input.value);
        }
        if (String(qs)) url += "?" + qs;
        const init = { method: method.toUpperCase(), headers: {} };
        if (body && body.value) { init.body = body.value; init.headers["content-type"] = "application/json"; }
        if (token && token.value) init.headers.authorization = "Bearer " + token.value;
        out.textContent = init.method + " " + url + " …";
        try {
          const res = await fetch(url, init);
          const text = await res.text();
          let shown = text;
          try { shown = JSON.stringify(JSON.parse(text), null, 2); } catch {}
          out.textContent = res.status + " " + res.statusText + "\\n" + (res.headers.get("content-type") || "") + "\\n\\n" + shown.slice(0, 20000);
        } catch (e) { out.textContent = String(e); }
      });
      const responses = Object.entries(op.responses).map(([s, r]) => s + " " + r.description).join(" · ");
      root.append(el("details", { class: "op", id: op.operationId },
        el("summary", {}, el("span", { class: "m m-" + method, text: method.toUpperCase() }), el("code", { text: path }), el("span", { class: "sum", text: op.summary || "" })),
        el("p", { class: "muted", text: (op.tags || []).join(", ") + (op.security ? " · auth required" : "") + " · " + responses }),
        form));
    }
  }
})();
`;

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>API docs</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1f2328}main{max-width:960px;margin:0 auto;padding:16px}
.op{background:#fff;border:1px solid #d8dde3;border-radius:6px;margin:6px 0;padding:6px 10px}
summary{cursor:pointer;display:flex;gap:10px;align-items:baseline}.sum{color:#475467}
.m{font-weight:700;font-size:.75rem;padding:1px 6px;border-radius:4px;color:#fff;min-width:52px;text-align:center}
.m-get{background:#2563eb}.m-post{background:#059669}.m-put{background:#d97706}.m-delete{background:#dc2626}
label{display:flex;gap:8px;margin:4px 0}label span{min-width:160px;color:#475467}input,textarea{flex:1;font:inherit}
.out{background:#0d1117;color:#e6edf3;padding:8px;border-radius:4px;overflow:auto;max-height:400px;white-space:pre-wrap}
.muted{color:#667085;font-size:.85rem}
</style></head>
<body><main><h1 id="title">API</h1>
<p class="muted">Generated from <a href="/openapi.json">/openapi.json</a>. Requests go to this server only. <noscript>Without JavaScript, read the document at /openapi.json.</noscript></p>
<div id="ops"></div></main>
<script>${SCRIPT}</script></body></html>`;

docsRoutes.get("/docs", (c) =>
  c.html(PAGE, 200, {
    "content-security-policy":
      "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "cache-control": "public, max-age=300",
  }),
);
