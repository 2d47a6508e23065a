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

// Mutations that usually keep the syntax valid, so that the checker (not just the parser)
// meets broken programs: names swapped for other names, numbers for other numbers,
// operators for other operators.
const isName = (t: string): boolean => /^[A-Za-z_]\w*$/.test(t);
const isNumber = (t: string): boolean => /^\d/.test(t);
const OPERATORS = ["+", "-", "*", "/", "@", "<", ">", "<=", ">=", "==", "!=", "&&", "||"];
const NUMBERS = ["0", "1", "2", "-1", "3", "0.5", "569", "1e20", "30", "15"];

const semanticMutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.nat(), fc.nat()).map(([i, j]) => (s: string) => {
    const t = tokens(s);
    const names = t.map((x, k) => (isName(x) ? k : -1)).filter((k) => k >= 0);
    if (names.length === 0) return s;
    t[names[i % names.length]!] = t[names[j % names.length]!]!;
    return t.join("");
  }),
  fc.tuple(fc.nat(), fc.constantFrom(...NUMBERS)).map(([i, n]) => (s: string) => {
    const t = tokens(s);
    const nums = t.map((x, k) => (isNumber(x) ? k : -1)).filter((k) => k >= 0);
    if (nums.length === 0) return s;
    t[nums[i % nums.length]!] = n;
    return t.join("");
  }),
  fc.tuple(fc.nat(), fc.constantFrom(...OPERATORS)).map(([i, op]) => (s: string) => {
    const t = tokens(s);
    const ops = t.map((x, k) => (OPERATORS.includes(x) ? k : -1)).filter((k) => k >= 0);
    if (ops.length === 0) return s;
    t[ops[i % ops.length]!] = op;
    return t.join("");
  }),
);

/** Checks `src` and asserts the front end's guarantees; returns the diagnostics' codes. */
function checkRobust(src: string): string[] {
  const t0 = performance.now();
  const r = checkSource(src, "fuzz.mpc");
  const ms = performance.now() - t0;
  const errors = r.diagnostics.filter((d) => d.severity === "error");
  if (r.program === undefined && errors.length === 0) throw new Error(`no program and no error for:\n${src}`);
  if (r.program !== undefined && errors.length > 0) throw new Error(`a program despite errors for:\n${src}`);
  const lines = src.split(/\r?\n/).length;
  for (const d of r.diagnostics) {
    if (!codes.has(d.code)) throw new Error(`uncatalogued code ${d.code}: ${d.message}`);
    if (d.span.line < 1 || d.span.line > lines || d.span.col < 1) throw new Error(`bad position ${d.span.line}:${d.span.col} for ${d.code}`);
  }
  renderDiagnostics(r.diagnostics, src);
  if (ms > 2000) throw new Error(`took ${ms.toFixed(0)} ms`);
  return r.diagnostics.map((d) => d.code);
}

test("mutated programs never crash the front end", (t) => {
  fc.assert(
    fc.property(fc.constantFrom(...seeds), fc.array(mutation, { minLength: 1, maxLength: 3 }), (seed, ms) => {
      checkRobust(ms.reduce((s, m) => m(s), seed));
    }),
    { numRuns: 1000, seed: 20240611 },
  );
  t.pass();
});

test("well-formed but wrong programs never crash the checker", (t) => {
  let checkerErrors = 0;
  fc.assert(
    fc.property(fc.constantFrom(...seeds), fc.array(semanticMutation, { minLength: 1, maxLength: 4 }), (seed, ms) => {
      const found = checkRobust(ms.reduce((s, m) => m(s), seed));
      if (found.some((c) => c >= "E0100")) checkerErrors++;
    }),
    { numRuns: 1000, seed: 20240612 },
  );
  // The mutations must really reach the checker, or this test would prove nothing.
  t.true(checkerErrors > 300, `only ${checkerErrors} runs produced checker errors`);
});
