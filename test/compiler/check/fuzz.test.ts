// Robustness: random mutations of the valid example programs (token deletion, duplication,
// swap, truncation, random bytes) never make the front end throw or hang; every run gives a
// checked program or at least one error, and every diagnostic has a catalogued code, a
// position inside the source, and renders.

import test from "ava";
import fc from "fast-check";
import { readdirSync, readFileSync } from "node:fs";
import { checkSource } from "../../../compiler/frontend.js";
import { CATALOGUE } from "../../../compiler/diagnostics.js";
import { renderDiagnostics } from "../../../grammar/diagnostic.js";

const dir = new URL("../../../programs/", import.meta.url);
const seeds = readdirSync(dir)
  .filter((f) => f.endsWith(".mpc"))
  .sort()
  .map((f) => readFileSync(new URL(f, dir), "utf8"));

const TOKEN = /\s+|\/\/[^\n]*|[A-Za-z_]\w*|\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|\.\.|&&|\|\||[=!<>]=|[^]/g;
const tokens = (s: string): string[] => s.match(TOKEN) ?? [];
const codes = new Set(CATALOGUE.map((e) => e.code));

type Mutation = (src: string) => string;

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.nat().map((i) => (s: string) => {
    const t = tokens(s);
    t.splice(i % Math.max(1, t.length), 1);
    return t.join("");
  }),
  fc.nat().map((i) => (s: string) => {
    const t = tokens(s);
    const k = i % Math.max(1, t.length);
    t.splice(k, 0, t[k] ?? "");
    return t.join("");
  }),
  fc.tuple(fc.nat(), fc.nat()).map(([i, j]) => (s: string) => {
    const t = tokens(s);
    const a = i % Math.max(1, t.length);
    const b = j % Math.max(1, t.length);
    [t[a], t[b]] = [t[b]!, t[a]!];
    return t.join("");
  }),
  fc.nat().map((i) => (s: string) => s.slice(0, i % (s.length + 1))),
  fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 8 })).map(([i, bytes]) => (s: string) => {
    const k = i % (s.length + 1);
    return s.slice(0, k) + String.fromCharCode(...bytes) + s.slice(k);
  }),
  // Swap a token for one taken from elsewhere in the program (names, operators, keywords).
  fc.tuple(fc.nat(), fc.nat()).map(([i, j]) => (s: string) => {
    const t = tokens(s);
    if (t.length === 0) return s;
    t[i % t.length] = t[j % t.length]!;
    return t.join("");
  }),
);

test("mutated programs never crash the front end", (t) => {
  fc.assert(
    fc.property(fc.constantFrom(...seeds), fc.array(mutation, { minLength: 1, maxLength: 3 }), (seed, ms) => {
      const src = ms.reduce((s, m) => m(s), seed);
      const t0 = performance.now();
      const r = checkSource(src, "fuzz.mpc");
      const ms_ = performance.now() - t0;
      const errors = r.diagnostics.filter((d) => d.severity === "error");
      if (r.program === undefined && errors.length === 0) throw new Error(`no program and no error for:\n${src}`);
      if (r.program !== undefined && errors.length > 0) throw new Error(`a program despite errors for:\n${src}`);
      const lines = src.split(/\r?\n/).length;
      for (const d of r.diagnostics) {
        if (!codes.has(d.code)) throw new Error(`uncatalogued code ${d.code}: ${d.message}`);
        if (d.span.line < 1 || d.span.line > lines || d.span.col < 1) throw new Error(`bad position ${d.span.line}:${d.span.col} for ${d.code}`);
      }
      renderDiagnostics(r.diagnostics, src);
      if (ms_ > 2000) throw new Error(`took ${ms_.toFixed(0)} ms`);
    }),
    { numRuns: 400, seed: 20240611 },
  );
  t.pass();
});
