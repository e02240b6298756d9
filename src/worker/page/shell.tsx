/** @jsxImportSource hono/jsx */
import { raw } from "hono/html";
import type { Child, FC } from "hono/jsx";
import type { StatusPage } from "../../core/config/page.ts";
import { PAGE_CSS } from "./style.ts";

/** The defaults when a config says nothing about its page: neutral, no logo, no links. */
export const NEUTRAL_BRANDING: StatusPage = { title: "Node status", links: [] };

/** Every page: head (with the Atom feed advertised), the operator's branding, and the footer. */
export const Shell: FC<{ title: string; branding: StatusPage; children?: Child }> = ({
  title,
  branding,
  children,
}) => (
  <html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width,initial-scale=1" />
      <meta name="color-scheme" content="light dark" />
      <title>{title}</title>
      <link rel="alternate" type="application/atom+xml" title="Incidents and maintenance" href="/feed.atom" />
      <style>{raw(PAGE_CSS)}</style>
    </head>
    <body>
      <main>
        {children}
        <footer>
          {branding.footer ? <p>{branding.footer}</p> : null}
          <p>
            Subscribe: <a href="/feed.atom">Atom feed of incidents and maintenance</a> · JSON:{" "}
            <a href="/api/v1/status">/api/v1/status</a> · API: <a href="/docs">/docs</a>
          </p>
        </footer>
      </main>
    </body>
  </html>
);

/** The operator's header: logo, title, description and links. */
export const Brand: FC<{ branding: StatusPage; heading?: string }> = ({ branding, heading }) => (
  <>
    <header class="brand">
      {branding.logoUrl ? <img src={branding.logoUrl} alt="" /> : null}
      <h1>{heading ?? branding.title}</h1>
      {branding.links.length > 0 ? (
        <nav class="links">
          {branding.links.map((l) => (
            <a href={l.url} rel="noopener noreferrer">
              {l.label}
            </a>
          ))}
        </nav>
      ) : null}
    </header>
    {branding.description && heading === undefined ? <p class="description">{branding.description}</p> : null}
  </>
);
