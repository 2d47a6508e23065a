// The cost report as a table for people (`mpc cost`). Only formatting: the numbers are
// compiler/cost/cost.ts's.

import type { CostReport, Traffic, WallTimeEstimate, Network } from "./cost.js";

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(v >= 100 ? 0 : v >= 10 ? 1 : 2)} ${units[u]}`;
}

const shapeText = (attrs: Record<string, unknown>): string =>
  Object.entries(attrs)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? `[${v.join(",")}]` : String(v)}`)
    .join(" ");

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]): string => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ").trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)];
}

function trafficLines(t: Traffic, indent: string): string[] {
  const out: string[] = [];
  out.push(`${indent}rounds: ${t.rounds}   messages: ${t.messages}   bytes: ${formatBytes(t.bytes)}   opened elements: ${t.openedElements}`);
  if (t.pairs.length > 0) {
    out.push(...table(["from -> to", "messages", "bytes"], t.pairs.map((p) => [`${p.from} -> ${p.to}`, String(p.messages), formatBytes(p.bytes)])).map((l) => indent + "  " + l));
  }
  if (t.randomness.length > 0) {
    out.push(`${indent}correlated randomness (dealer, offline: ${t.dealer.items} items, ${formatBytes(t.dealer.bytes)} of corrections):`);
    out.push(
      ...table(
        ["item", "count", "shape", "wire elements"],
        t.randomness.map((r) => [r.item, String(r.count), shapeText(r.attrs), String(r.wireElements)]),
      ).map((l) => indent + "  " + l),
    );
  }
  return out;
}

export function formatCost(cost: CostReport, net?: Network, est?: WallTimeEstimate): string {
  const out: string[] = [`cost of ${cost.program} (parties ${cost.parties.join(", ")})`, "", "total (online):"];
  out.push(...trafficLines(cost.total, "  "));
  for (const l of cost.loops) {
    const where = l.src ? ` at line ${l.src.line}` : "";
    const pad = "  ".repeat(l.depth);
    out.push("", `${pad}loop${where}, ${l.count} iterations — per iteration:`);
    out.push(...trafficLines(l.perIteration, pad + "  "));
    out.push(`${pad}  all ${l.count} iterations: ${l.total.rounds} rounds, ${l.total.messages} messages, ${formatBytes(l.total.bytes)}`);
  }
  out.push("", `dealer (offline, before the run): seeds to every party, corrections to ${cost.dealerCorrectionsTo}`);
  out.push(...table(["to", "bytes"], cost.offline.map((o) => [o.to, formatBytes(o.bytes)])).map((l) => "  " + l));
  if (net && est) {
    out.push(
      "",
      `estimated wall time at ${net.latencyMs} ms latency, ${net.bandwidthMbit} Mbit/s per link:`,
      `  online  ${fmtMs(est.onlineMs)}  (${cost.total.rounds} rounds x ${net.latencyMs} ms = ${fmtMs(est.latencyMs)}, transfer ${fmtMs(est.transferMs)} on the busiest link)`,
      `  offline ${fmtMs(est.offlineMs)}  (dealer)`,
    );
  }
  return out.join("\n");
}

function fmtMs(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(ms >= 10000 ? 1 : 2)} s`;
  return `${ms.toFixed(ms >= 10 ? 1 : 3)} ms`;
}
