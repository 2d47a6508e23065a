// The one diagnostics catalogue: syntax codes (grammar/codes.ts, E00xx), checker codes
// (compiler/check/codes.ts, E01xx-E09xx), compiler-middle codes (compiler/ir/codes.ts, E10xx)
// and autodiff codes (compiler/autodiff/codes.ts, E11xx/W11xx), for `mpc explain` and the error reference in
// docs/language.md (scripts/gen-error-docs.ts). Only text lives here.

import type { CatalogueEntry } from "../grammar/diagnostic.js";
import { SYNTAX_CATALOGUE } from "../grammar/codes.js";
import { AUTODIFF_CATALOGUE } from "./autodiff/codes.js";
import { CHECK_CATALOGUE } from "./check/codes.js";
import { MIDDLE_CATALOGUE } from "./ir/codes.js";

export const CATALOGUE: readonly CatalogueEntry[] = [
  ...SYNTAX_CATALOGUE,
  ...CHECK_CATALOGUE,
  ...MIDDLE_CATALOGUE,
  ...AUTODIFF_CATALOGUE,
].sort((a, b) => a.code.localeCompare(b.code));

/** Look a code up: `E0100`, `e0100` and `100` all find E0100. */
export function findEntry(code: string): CatalogueEntry | undefined {
  const c = code.trim().toUpperCase();
  const full = /^[0-9]+$/.test(c) ? `E${c.padStart(4, "0")}` : c;
  return CATALOGUE.find((e) => e.code === full);
}

/** The catalogue as Markdown: one section per code, explanations as written. */
export function catalogueMarkdown(): string {
  const out = ["## Error reference", "", "Generated from the diagnostics catalogue by `scripts/gen-error-docs.ts`; `mpc explain CODE` prints the same text.", ""];
  for (const e of CATALOGUE) {
    out.push(`### ${e.code}: ${e.title}`, "", e.explanation, "");
  }
  return out.join("\n");
}
