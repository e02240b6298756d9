/**
 * The page's only stylesheet, inline (the CSP allows nothing else). Colours are variables so dark
 * mode (`prefers-color-scheme`) swaps them in one place; nothing is wider than a 360 px phone.
 */
export const PAGE_CSS = `
:root{color-scheme:light dark;--bg:#f6f7f9;--fg:#1f2328;--card:#fff;--line:#d8dde3;--rule:#eef0f2;--muted:#667085;--link:#0969da;
--up-bg:#d1fadf;--up-fg:#05603a;--deg-bg:#fef0c7;--deg-fg:#93370d;--down-bg:#fee4e2;--down-fg:#912018;--unk-bg:#eaecf0;--unk-fg:#344054;--mnt-bg:#d1e0ff;--mnt-fg:#2a4ea0;
--bar-ok:#3fb950;--bar-degraded:#d4a72c;--bar-minor:#f0883e;--bar-major:#e5534b;--bar-none:#d0d7de;--bar-maintenance:#6b9ef0;
--banner-mnt:#e0ecff;--banner-mnt-line:#6b9ef0;--banner-deg:#fff4d6;--banner-deg-line:#e0a800}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--card:#161b22;--line:#30363d;--rule:#21262d;--muted:#9198a1;--link:#58a6ff;
--up-bg:#12361f;--up-fg:#7ee2a0;--deg-bg:#3b2e0a;--deg-fg:#f2cc60;--down-bg:#42171a;--down-fg:#ffa198;--unk-bg:#2d333b;--unk-fg:#c9d1d9;--mnt-bg:#172b4d;--mnt-fg:#a5c8ff;
--bar-none:#30363d;--banner-mnt:#172b4d;--banner-deg:#3b2e0a}}
*{box-sizing:border-box}
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:var(--bg);color:var(--fg);overflow-wrap:anywhere}
a{color:var(--link)}
main{max-width:960px;margin:0 auto;padding:16px}
header.brand{display:flex;gap:12px;align-items:center;flex-wrap:wrap}
header.brand img{height:40px;width:auto;max-width:160px}
nav.links{display:flex;gap:12px;flex-wrap:wrap;font-size:.9rem}
h1{font-size:1.5rem;margin:.5rem 0}h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
.description{margin:.25rem 0 .75rem}
.banner{padding:10px 14px;border-radius:6px;margin:8px 0}
.banner.maintenance{background:var(--banner-mnt);border:1px solid var(--banner-mnt-line)}
.banner.degraded{background:var(--banner-deg);border:1px solid var(--banner-deg-line)}
.group{background:var(--card);border:1px solid var(--line);border-radius:8px;margin:12px 0;padding:4px 14px}
.monitor{border-top:1px solid var(--rule);padding:10px 0}.monitor:first-of-type{border-top:0}
.head{display:flex;gap:10px;align-items:baseline;flex-wrap:wrap}
.name{font-weight:600}.muted{color:var(--muted);font-size:.85rem}
.state{font-weight:600;padding:1px 8px;border-radius:10px;font-size:.8rem;text-transform:uppercase}
.state-up{background:var(--up-bg);color:var(--up-fg)}.state-degraded{background:var(--deg-bg);color:var(--deg-fg)}
.state-down{background:var(--down-bg);color:var(--down-fg)}.state-unknown{background:var(--unk-bg);color:var(--unk-fg)}
.state-maintenance{background:var(--mnt-bg);color:var(--mnt-fg)}
.bars{display:flex;gap:1px;height:28px;margin:6px 0 2px}
.bar{flex:1;border-radius:1px;min-width:1px}
.bar-ok{background:var(--bar-ok)}.bar-degraded{background:var(--bar-degraded)}.bar-minor{background:var(--bar-minor)}
.bar-major{background:var(--bar-major)}.bar-none{background:var(--bar-none)}.bar-maintenance{background:var(--bar-maintenance)}
.axis{display:flex;justify-content:space-between;color:var(--muted);font-size:.75rem}
ul.reasons{margin:4px 0 0 18px;padding:0;font-size:.85rem}
details{margin-top:4px}summary{cursor:pointer;font-size:.85rem;color:var(--muted)}
.legend i{display:inline-block;width:10px;height:10px;margin-right:4px;border-radius:2px}
.legends{font-size:.75rem;color:var(--muted);display:flex;flex-wrap:wrap;gap:4px 12px}
svg.latency{color:var(--muted)}
.incident{background:var(--card);border:1px solid var(--line);border-radius:8px;margin:8px 0;padding:8px 14px}
.incident[data-open="true"]{border-left:4px solid var(--bar-major)}.incident[data-open="true"][data-state="degraded"]{border-left-color:var(--bar-degraded)}
.note{border-left:3px solid var(--bar-maintenance);padding-left:8px;margin:4px 0;font-size:.9rem}
footer{color:var(--muted);font-size:.8rem;margin:24px 0}
.summary{font-size:1.1rem;font-weight:600;padding:10px 14px;border-radius:8px}
ul.rows{list-style:none;margin:4px 0;padding:0}#validators h3{font-size:15px;margin:10px 0 2px}code.key{font-size:12px}.row{padding:3px 0;border-top:1px solid var(--rule)}
a.name{color:inherit;text-decoration:none}a.name:hover{text-decoration:underline}
`;
