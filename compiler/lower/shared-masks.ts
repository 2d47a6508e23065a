// Which secret matrices are opened once under their own mask and reused by several Beaver
// products (spec maskSecret / matmulMasked). A secret 2-D value x qualifies when the products
// that take x (or transpose(x)) as a secret-by-secret matmul operand run at least twice in
// total: two products, or one inside a loop that x is defined outside of (a loop-invariant
// x: the mask and its opening are emitted where x is defined, once for every iteration).
// Products of a view of x count too: transpose(x) (masked by A^T, opened as E^T) and c * x for
// a scalar constant c (the product c * (x @ y) is scaled after).
// Only the very same value reuses its mask: the decision is per IR node, never across values.

import type { ProgramGraph } from "../ir/graph.js";

const isSecret2d = (g: ProgramGraph, id: string): boolean => {
  const n = g.node(id);
  return n.vis.kind === "secret" && n.shape.length === 2;
};

/** A 2-D transpose: no perm, or perm [1, 0]. */
const isTranspose2d = (g: ProgramGraph, id: string): boolean => {
  const n = g.node(id);
  if (n.kind !== "op" || n.op !== "transpose" || n.shape.length !== 2) return false;
  const perm = n.attrs["perm"];
  return perm === undefined || (Array.isArray(perm) && perm[0] === 1 && perm[1] === 0);
};

/** Scaling a product by the constant k after it is free (local) with two parties (local
 *  truncation) or an integer k; otherwise it would cost a truncation round per product, so
 *  k * x is then a value of its own (with its own mask when it qualifies). */
export function scaleAfterIsFree(parties: number, k: number): boolean {
  return parties === 2 || Number.isInteger(k);
}

/** A scalar constant operand whose scaling can move after the product. */
const isScalarConst = (g: ProgramGraph, id: string): boolean => {
  const n = g.node(id);
  return n.kind === "const" && typeof n.value === "number" && n.shape.length === 0 && scaleAfterIsFree(g.parties.length, n.value);
};

/** A view of v that its products can take masked: transpose(v) (A^T, E^T) or a multiple of v
 *  by a scalar constant (the product is scaled after instead). */
function viewsOf(g: ProgramGraph, v: string): string[] {
  return g.users(v).filter((u) => {
    if (!isSecret2d(g, u)) return false;
    if (isTranspose2d(g, u)) return true;
    const n = g.node(u);
    if (n.kind !== "op" || n.op !== "mul" || n.args.length !== 2) return false;
    const [l, r] = n.args as [string, string];
    return (l === v && isScalarConst(g, r)) || (r === v && isScalarConst(g, l));
  });
}

/** How many times a node runs per run of `scope` (the product of the loop counts between). */
function runsPer(g: ProgramGraph, id: string, scope: string | undefined): number {
  let k = 1;
  for (let p = g.scopeOf(id); p !== undefined && p !== scope; p = g.scopeOf(p)) k *= g.node(p).loop!.count;
  return k;
}

/** Secret matmuls with `v` as one operand and another secret 2-D operand (not v itself). */
function productUsers(g: ProgramGraph, v: string): string[] {
  return g.users(v).filter((u) => {
    const n = g.node(u);
    if (n.kind !== "op" || n.op !== "matmul" || n.vis.kind !== "secret" || n.args.length !== 2) return false;
    const [l, r] = n.args as [string, string];
    if (l === r) return false;
    return isSecret2d(g, l) && isSecret2d(g, r);
  });
}

/** The IR node ids to mask once (maskSecret right after they are lowered). */
export function sharedMaskOperands(g: ProgramGraph): Set<string> {
  const chosen = new Set<string>();
  const inherited = new Set<string>();
  const visit = (scope: string | undefined): void => {
    for (const id of g.children(scope)) {
      const n = g.node(id);
      if (n.kind === "loop") visit(id);
      if ((n.kind !== "op" && n.kind !== "share") || !isSecret2d(g, id)) continue;
      // a view of a chosen x inherits x's mask: never a second mask
      if (inherited.has(id)) continue;
      const here = g.scopeOf(id);
      let runs = 0;
      const views = [id];
      for (let k = 0; k < views.length; k++) {
        for (const u of productUsers(g, views[k]!)) runs += runsPer(g, u, here);
        views.push(...viewsOf(g, views[k]!));
      }
      if (runs >= 2) {
        chosen.add(id);
        for (const v of views) inherited.add(v);
      }
    }
  };
  visit(undefined);
  return chosen;
}
