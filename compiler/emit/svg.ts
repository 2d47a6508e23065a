// DOT -> SVG in-process, with Graphviz compiled to WebAssembly (@viz-js/viz): no `dot`
// binary needed. The instance is loaded once and reused.

import { instance } from "@viz-js/viz";

type Viz = Awaited<ReturnType<typeof instance>>;
let viz: Promise<Viz> | undefined;

export async function renderSvg(dot: string): Promise<string> {
  viz ??= instance();
  const v = await viz;
  const r = v.render(dot, { format: "svg" });
  if (r.status !== "success") {
    throw new Error(`internal: Graphviz rejected the generated graph: ${r.errors.map((e) => e.message).join("; ")}`);
  }
  return r.output;
}

/** Graphviz's verdict on a DOT text: its errors (empty when it renders). */
export async function dotErrors(dot: string): Promise<string[]> {
  viz ??= instance();
  const r = (await viz).render(dot, { format: "svg" });
  return r.status === "success" ? r.errors.filter((e) => e.level === "error").map((e) => e.message) : r.errors.map((e) => e.message);
}
