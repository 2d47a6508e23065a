// Visibility: the information-flow type of a value.
// public (all parties know it) < private(P) (only P, in the clear) < secret (additively shared).

export type Visibility =
  | { kind: "public" }
  | { kind: "private"; party: string }
  | { kind: "secret" };

export const PUBLIC: Visibility = { kind: "public" };
export const SECRET: Visibility = { kind: "secret" };
export const privateTo = (party: string): Visibility => ({ kind: "private", party });

/** The least upper bound: private(P) join private(Q) is secret for P != Q. */
export function joinVisibility(a: Visibility, b: Visibility): Visibility {
  if (a.kind === "public") return b;
  if (b.kind === "public") return a;
  if (a.kind === "secret" || b.kind === "secret") return SECRET;
  return a.party === b.party ? a : SECRET;
}

export function sameVisibility(a: Visibility, b: Visibility): boolean {
  return a.kind === b.kind && (a.kind !== "private" || a.party === (b as { party: string }).party);
}

export function showVisibility(v: Visibility): string {
  return v.kind === "private" ? `private(${v.party})` : v.kind;
}
