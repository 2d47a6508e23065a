// Words for the audit report: names of input elements, compact descriptions of sets of them
// ("all of bob.x", "rows 0-9 of bob.x", "bob.x[3, 1]"), affine forms as formulas
// ("bob.b + carol.c + dave.d"), and the per-reveal dependence pattern ("row i of `pred`
// depends on row i of data_owner.x and all of model_owner.w1"). Pure functions of the
// interpretation; they never decide severity.

import type { AbsElem, Affine, InputVars, VarSpace } from "./absval.js";
import { depsOf, isNonlinearAtom } from "./absval.js";
import * as D from "./depset.js";
import type { DepSet } from "./depset.js";
import type { RevealEvent } from "./interpret.js";
import { Rat } from "./rational.js";
import { numel, strides, unravel } from "./tensor-ops.js";

export const inputName = (inp: InputVars): string => `${inp.info.party}.${inp.info.name}`;

export function indexText(idx: readonly number[]): string {
  return idx.length === 0 ? "" : `[${idx.join(", ")}]`;
}

/** `bob.x[2, 0]`, or for an atom `sigmoid(…)@7:9`. */
export function varName(space: VarSpace, id: number): string {
  if (space.isAtom(id)) {
    const a = space.atom(id);
    return `${a.op}(…)@${a.span.line}:${a.span.col}`;
  }
  const inp = space.inputOf(id);
  return inputName(inp) + indexText(unravel(id - inp.base, inp.info.shape));
}

/** Revealed value element: `s`, `pred[3, 0]`. */
export function revealElemName(ev: RevealEvent, flat: number): string {
  return ev.name + indexText(unravel(flat, ev.shape));
}

function ranges(values: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < values.length; ) {
    let j = i;
    while (j + 1 < values.length && values[j + 1] === values[j]! + 1) j++;
    parts.push(j === i ? `${values[i]}` : j === i + 1 ? `${values[i]}, ${values[j]}` : `${values[i]}-${values[j]}`);
    i = j + 1;
  }
  return parts.join(", ");
}

/** Describe a set of elements of one input (ids are global; only this input's are used). */
export function describeElements(inp: InputVars, set: DepSet): string {
  const local = D.clip(set, inp.base, inp.base + inp.size);
  const count = D.size(local);
  const name = inputName(inp);
  const shape = inp.info.shape;
  if (count === 0) return `nothing of ${name}`;
  if (count === inp.size) return shape.length === 0 ? name : `all of ${name}`;
  const ids = [...D.ids(local)].map((g) => g - inp.base);
  if (shape.length >= 2) {
    // Whole slices along axis 0 (rows) or, for matrices, along axis 1 (columns)?
    const rowLen = inp.size / shape[0]!;
    const rows = [...new Set(ids.map((k) => Math.floor(k / rowLen)))];
    if (rows.length * rowLen === count) {
      const word = shape.length === 2 ? "row" : "slice";
      return `${word}${rows.length > 1 ? "s" : ""} ${ranges(rows)} of ${name}${shape.length > 2 ? " (along axis 0)" : ""}`;
    }
    if (shape.length === 2) {
      const cols = [...new Set(ids.map((k) => k % shape[1]!))].sort((a, b) => a - b);
      if (cols.length * shape[0]! === count) return `column${cols.length > 1 ? "s" : ""} ${ranges(cols)} of ${name}`;
    }
  }
  if (shape.length === 1) return `element${count > 1 ? "s" : ""} ${ranges(ids)} of ${name}`;
  if (count <= 4) return ids.map((k) => name + indexText(unravel(k, shape))).join(", ");
  const eg = ids.slice(0, 3).map((k) => name + indexText(unravel(k, shape)));
  return `${count} of the ${inp.size} elements of ${name} (${eg.join(", ")}, …)`;
}

/** Describe a dependence set across all inputs: "all of alice.a and bob.x[0]". */
export function describeDeps(space: VarSpace, set: DepSet): string {
  const parts = space.inputs.filter((i) => D.clip(set, i.base, i.base + i.size).length > 0).map((i) => describeElements(i, set));
  return parts.length === 0 ? "no input" : joinWords(parts);
}

export function joinWords(parts: readonly string[]): string {
  if (parts.length <= 1) return parts.join("");
  return `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}`;
}

/** A coefficient times a name: `b`, `-b`, `2·b`, `1/3·b`. */
function term(coef: Rat, name: string, first: boolean): string {
  const neg = coef.sign() < 0;
  const mag = coef.abs();
  const body = mag.isOne() ? name : `${mag.show()}·${name}`;
  if (first) return neg ? `-${body}` : body;
  return neg ? ` − ${body}` : ` + ${body}`;
}

/** Σ coef·name + c over already-named terms (zero coefficients skipped). */
export function namedFormula(terms: readonly [Rat, string][], c: Rat = Rat.ZERO): string {
  const parts: string[] = [];
  for (const [coef, name] of terms) if (!coef.isZero()) parts.push(term(coef, name, parts.length === 0));
  if (!c.isZero() || parts.length === 0) parts.push(parts.length === 0 ? c.show() : c.sign() < 0 ? ` − ${c.abs().show()}` : ` + ${c.show()}`);
  return parts.join("");
}

/** An affine form as a formula, with a naming function for variables. */
export function formula(aff: Pick<Affine, "c" | "vars" | "coefs">, name: (id: number) => string, maxTerms = 8): string {
  const parts: string[] = [];
  const n = aff.vars.length;
  const shown = n > maxTerms ? maxTerms - 1 : n;
  for (let t = 0; t < shown; t++) parts.push(term(aff.coefs[t]!, name(aff.vars[t]!), parts.length === 0));
  if (shown < n) parts.push(` + … (${n - shown} more terms)`);
  if (!aff.c.isZero() || parts.length === 0) parts.push(parts.length === 0 ? aff.c.show() : aff.c.sign() < 0 ? ` − ${aff.c.abs().show()}` : ` + ${aff.c.show()}`);
  return parts.join("");
}

/** If every input-variable term of `aff` sits at the same multi-index, a template key and
 *  that index (so per-element formulas can be shown once: `a[i, j] + c[i, j]`). */
export function elementTemplate(space: VarSpace, aff: Pick<Affine, "c" | "vars" | "coefs">): { key: string; index: number[] } | undefined {
  let index: number[] | undefined;
  const keyParts: string[] = [];
  for (let t = 0; t < aff.vars.length; t++) {
    const v = aff.vars[t]!;
    if (space.isAtom(v)) return undefined;
    const inp = space.inputOf(v);
    const idx = unravel(v - inp.base, inp.info.shape);
    if (index === undefined) index = idx;
    else if (idx.length !== index.length || idx.some((x, i) => x !== index![i])) return undefined;
    keyParts.push(`${aff.coefs[t]!.toString()}*${inp.index}`);
  }
  if (index === undefined || index.length === 0) return undefined;
  return { key: `${keyParts.join("+")}|${aff.c.toString()}`, index };
}

const SYMBOLS = ["i", "j", "k", "l", "m", "n"];

/** Render a template found by elementTemplate with symbolic indices. */
export function templateFormula(space: VarSpace, aff: Pick<Affine, "c" | "vars" | "coefs">): string {
  return formula(aff, (v) => {
    const inp = space.inputOf(v);
    return `${inputName(inp)}[${inp.info.shape.map((_, a) => SYMBOLS[a] ?? `i${a}`).join(", ")}]`;
  });
}

// ---------------------------------------------------------------- dependence patterns

export interface DependenceClause {
  party: string;
  input: string;
  /** Machine-readable pattern. */
  pattern: "all" | "elementwise" | "slice" | "same-set" | "varies";
  /** Human text, e.g. "row i of data_owner.x". */
  text: string;
  /** Input elements any revealed element depends on. */
  touched: number;
  total: number;
}

function axisWord(axis: number, rank: number): string {
  if (rank === 1) return "element";
  if (rank === 2) return axis === 0 ? "row" : "column";
  return `slice along axis ${axis}`;
}

/** How the revealed elements of `ev` depend on each input, as clauses, and the subject they
 *  complete ("element [i, j] of `h` depends on row i of x and column j of w"). */
export function dependencePattern(space: VarSpace, ev: RevealEvent): { clauses: DependenceClause[]; subject: string } {
  const deps = ev.value.el.map((e) => depsOf(space, e));
  const outShape = ev.shape;
  const n = numel(outShape);
  const syms = outShape.map((_, a) => SYMBOLS[a] ?? `i${a}`);
  const clauses: DependenceClause[] = [];
  const slabAxes = new Set<number>();
  let indexed = false;
  for (const inp of space.inputs) {
    const local = deps.map((d) => D.clip(d, inp.base, inp.base + inp.size));
    const touched = D.unionAll(local);
    const count = D.size(touched);
    if (count === 0) continue;
    const name = inputName(inp);
    const base: Omit<DependenceClause, "pattern" | "text"> = { party: inp.info.party, input: inp.info.name, touched: count, total: inp.size };
    const full = D.range(inp.base, inp.base + inp.size);
    if (local.every((s) => D.equals(s, full))) {
      clauses.push({ ...base, pattern: "all", text: inp.info.shape.length === 0 ? name : `all of ${name}` });
      continue;
    }
    const mapped = n > 1 ? indexMap(inp, local, outShape, syms) : undefined;
    if (mapped) {
      indexed = true;
      clauses.push({ ...base, pattern: "elementwise", text: `${name}[${mapped.join(", ")}]` });
      continue;
    }
    const slab = n > 1 ? findSlab(inp, local, outShape) : undefined;
    if (slab) {
      const [a, b, off] = slab;
      slabAxes.add(a);
      const at = off === 0 ? syms[a]! : `${syms[a]}+${off}`;
      const rank = inp.info.shape.length;
      const text = rank <= 2 ? `${axisWord(b, rank)} ${at} of ${name}` : `${name}[${inp.info.shape.map((_, k) => (k === b ? at : ":")).join(", ")}]`;
      clauses.push({ ...base, pattern: "slice", text });
      continue;
    }
    if (local.every((s) => D.equals(s, local[0]!))) {
      clauses.push({ ...base, pattern: "same-set", text: describeElements(inp, local[0]!) });
      continue;
    }
    indexed = true;
    const sizes = local.map((s) => D.size(s));
    const lo = Math.min(...sizes);
    const hi = Math.max(...sizes);
    clauses.push({
      ...base,
      pattern: "varies",
      text: `${lo === hi ? lo : `${lo} to ${hi}`} element${hi === 1 ? "" : "s"} of ${name} (varying by element; together ${describeElements(inp, touched)})`,
    });
  }
  let subject: string;
  if (outShape.length === 0) subject = `\`${ev.name}\``;
  else if (!indexed && slabAxes.size === 0) subject = `each element of \`${ev.name}\``;
  else if (!indexed && slabAxes.size === 1) {
    const a = [...slabAxes][0]!;
    subject =
      outShape.length <= 2
        ? `${axisWord(a, outShape.length)} ${syms[a]} of \`${ev.name}\``
        : `\`${ev.name}\`[${outShape.map((_, k) => (k === a ? syms[a] : ":")).join(", ")}]`;
  } else subject = `element ${outShape.length === 1 ? syms[0] : `[${syms.join(", ")}]`} of \`${ev.name}\``;
  return { clauses, subject };
}

/** When every revealed element depends on exactly one element of the input, at an index
 *  that is a shift of the output index per axis (elementwise, broadcast, transposed, sliced):
 *  the index expressions, e.g. ["j", "i+1"]. */
function indexMap(inp: InputVars, local: readonly DepSet[], outShape: readonly number[], syms: readonly string[]): string[] | undefined {
  const shape = inp.info.shape;
  if (shape.length === 0 || !local.every((s) => s.length === 2 && s[1] === s[0]! + 1)) return undefined;
  const ins = local.map((s) => unravel(s[0]! - inp.base, shape));
  const outs = local.map((_, k) => unravel(k, outShape));
  const terms: string[] = [];
  for (let b = 0; b < shape.length; b++) {
    if (ins.every((x) => x[b] === ins[0]![b])) {
      terms.push(shape[b] === 1 ? "0" : `${ins[0]![b]}`);
      continue;
    }
    let found: string | undefined;
    for (let a = 0; a < outShape.length && found === undefined; a++) {
      const off = ins[0]![b]! - outs[0]![a]!;
      if (ins.every((x, k) => x[b] === outs[k]![a]! + off)) found = off === 0 ? syms[a]! : `${syms[a]}${off > 0 ? "+" : ""}${off}`;
    }
    if (found === undefined) return undefined;
    terms.push(found);
  }
  return terms;
}

/** Output axis a, input axis b and an offset such that element o depends exactly on the
 *  slice of the input where index[b] = o[a] + offset. */
function findSlab(inp: InputVars, local: readonly DepSet[], outShape: readonly number[]): [number, number, number] | undefined {
  const shape = inp.info.shape;
  if (inp.size > 4_000_000) return undefined;
  const src = strides(shape);
  const os = strides(outShape);
  for (let b = 0; b < shape.length; b++) {
    let slabs: DepSet[] | undefined;
    for (let a = 0; a < outShape.length; a++) {
      if (outShape[a]! > shape[b]! || outShape[a]! < 2) continue;
      if (!slabs) {
        const ids: number[][] = Array.from({ length: shape[b]! }, () => []);
        for (let k = 0; k < inp.size; k++) ids[Math.floor(k / src[b]!) % shape[b]!]!.push(inp.base + k);
        slabs = ids.map((x) => D.fromIds(x));
      }
      const found = slabs;
      for (let off = 0; off + outShape[a]! <= shape[b]!; off++) {
        if (local.every((s, k) => D.equals(s, found[(Math.floor(k / os[a]!) % outShape[a]!) + off]!))) return [a, b, off];
      }
    }
  }
  return undefined;
}

const OP_LABELS: Record<string, string> = {
  mul: "products of secret values",
  matmul: "matmul of secret operands",
  conv2d: "conv2d of secret operands",
  div: "division by a secret value",
  floor: "rounding to int",
  nonzero: "conversion to bool",
};

/** An atom's op for people: `sigmoid`, or "matmul of secret operands". */
export function opLabel(op: string): string {
  return OP_LABELS[op] ?? `\`${op}\``;
}

/** Distinct non-linear ops applied at the top of the revealed elements (for the summary). */
export function nonlinearOps(space: VarSpace, els: readonly AbsElem[]): string[] {
  const ops = new Set<string>();
  for (const e of els) {
    if (e.k === "opq") continue;
    for (const v of e.vars) if (isNonlinearAtom(space, v)) ops.add(space.atom(v).op);
  }
  return [...ops];
}
