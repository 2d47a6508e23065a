// TypeScript literals for the constant attributes of plan steps (shapes, axes, tables), printed
// so that the generated module passes exactly the values of the plan: numbers round-trip
// (shortest form, -0 kept), keys are bare where they are identifiers. Pure.

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A TypeScript expression for a JSON-like value (objects, arrays, numbers, strings, booleans, null). */
export function literal(v: unknown): string {
  if (v === null) return "null";
  if (typeof v === "number") {
    if (Object.is(v, -0)) return "-0";
    if (!Number.isFinite(v)) return Number.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity";
    return String(v);
  }
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "boolean") return String(v);
  if (Array.isArray(v)) return `[${v.map(literal).join(", ")}]`;
  if (typeof v === "object") {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
    if (entries.length === 0) return "{}";
    return `{ ${entries.map(([k, x]) => `${IDENT.test(k) ? k : JSON.stringify(k)}: ${literal(x)}`).join(", ")} }`;
  }
  throw new Error(`internal: cannot print a ${typeof v} as a literal`);
}

/** A list of strings as a TypeScript array literal. */
export function names(list: readonly string[]): string {
  return `[${list.map((s) => JSON.stringify(s)).join(", ")}]`;
}
