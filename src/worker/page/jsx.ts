import type { JSXNode } from "hono/jsx";

/**
 * A hono/jsx element as a string. Our page components are synchronous, so the result is a string;
 * a component that turned async would show up here as an error instead of a "[object Promise]".
 */
export function renderToString(node: JSXNode | ReturnType<JSXNode["toString"]>): string {
  const out = typeof node === "object" && node !== null && "toString" in node ? node.toString() : node;
  if (typeof out !== "string" && !(out instanceof String)) {
    throw new Error("a page component returned a promise; page components must be synchronous");
  }
  return String(out);
}
