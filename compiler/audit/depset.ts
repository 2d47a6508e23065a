// Dependence sets: which input elements a value may depend on, as sorted disjoint runs of
// global input-element ids ([start, end) pairs). Inputs occupy contiguous id ranges in
// row-major order, so "all of x", "row i of x" and "x[i, j]" are each one run, and the sets
// a program produces stay small however large the tensors are. Immutable: every operation
// returns a new set (or one of its arguments when nothing changes).

export type DepSet = readonly number[];

export const EMPTY: DepSet = Object.freeze([]) as DepSet;

// Hash-consing: equal sets are one object, so unions can be memoised by identity. Programs
// produce few distinct sets (row i, column j, all of x) but union them millions of times.
const interned = new Map<number, DepSet[]>();
let internedCount = 0;
// Interned sets carry a numeric id (an own property of the array) so a union is memoised in
// one Map keyed by the pair of ids; bounded like the intern table.
let nextId = 1;
const unionMemo = new Map<number, Map<number, DepSet>>();
let unionMemoSize = 0;
const manyMemo = new Map<string, DepSet>();
const INTERN_CAP = 1_000_000;

function idOf(s: DepSet): number {
  return (s as unknown as { __id?: number }).__id ?? 0;
}

function hash(s: readonly number[]): number {
  let h = 0x811c9dc5 ^ s.length;
  for (let k = 0; k < s.length; k++) h = Math.imul(h ^ s[k]!, 0x01000193);
  return h >>> 0;
}

/** The canonical object for a set's content. */
export function intern(s: readonly number[]): DepSet {
  if (s.length === 0) return EMPTY;
  const h = hash(s);
  const bucket = interned.get(h);
  if (bucket) {
    for (const t of bucket) if (t === s || sameRuns(t, s)) return t;
    bucket.push(s);
  } else {
    // Bounded: past the cap, start over (sets stay correct, only sharing is lost).
    if (internedCount > INTERN_CAP) {
      interned.clear();
      unionMemo.clear();
      manyMemo.clear();
      unionMemoSize = 0;
      internedCount = 0;
    }
    interned.set(h, [s]);
  }
  internedCount++;
  (s as unknown as { __id?: number }).__id = nextId++;
  return s;
}

function sameRuns(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}

export function single(id: number): DepSet {
  return intern([id, id + 1]);
}

export function range(start: number, end: number): DepSet {
  return end > start ? intern([start, end]) : EMPTY;
}

/** From ids in any order (duplicates allowed). */
export function fromIds(ids: Iterable<number>): DepSet {
  const sorted = Float64Array.from(new Set(ids)).sort();
  const out: number[] = [];
  for (const id of sorted) {
    if (out.length > 0 && out[out.length - 1] === id) out[out.length - 1] = id + 1;
    else out.push(id, id + 1);
  }
  return intern(out);
}

export function isEmpty(s: DepSet): boolean {
  return s.length === 0;
}

export function size(s: DepSet): number {
  let n = 0;
  for (let k = 0; k < s.length; k += 2) n += s[k + 1]! - s[k]!;
  return n;
}

export function has(s: DepSet, id: number): boolean {
  let lo = 0;
  let hi = s.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (id < s[2 * mid]!) hi = mid - 1;
    else if (id >= s[2 * mid + 1]!) lo = mid + 1;
    else return true;
  }
  return false;
}

export function equals(a: DepSet, b: DepSet): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}

export function union(a: DepSet, b: DepSet): DepSet {
  if (a.length === 0 || a === b) return b;
  if (b.length === 0) return a;
  let ia = idOf(a);
  let ib = idOf(b);
  if (ia === 0 || ib === 0) return computeUnion(a, b);
  if (ia > ib) [ia, ib] = [ib, ia];
  let inner = unionMemo.get(ia);
  const hit = inner?.get(ib);
  if (hit) return hit;
  const r = computeUnion(a, b);
  if (unionMemoSize > 4_000_000) {
    unionMemo.clear();
    unionMemoSize = 0;
    inner = undefined;
  }
  if (!inner) unionMemo.set(ia, (inner = new Map()));
  inner.set(ib, r);
  unionMemoSize++;
  return r;
}

function pushRun(out: number[], s: number, e: number): void {
  const n = out.length;
  if (n > 0 && s <= out[n - 1]!) {
    if (e > out[n - 1]!) out[n - 1] = e;
  } else out.push(s, e);
}

function computeUnion(a: DepSet, b: DepSet): DepSet {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]! <= b[j]!)) {
      pushRun(out, a[i]!, a[i + 1]!);
      i += 2;
    } else {
      pushRun(out, b[j]!, b[j + 1]!);
      j += 2;
    }
  }
  // Return an argument when the union added nothing (keeps sets shared).
  if (equals(out, a)) return a;
  if (equals(out, b)) return b;
  return intern(out);
}

/** The union of many sets at once: one merge of all their runs (no intermediate sets),
 *  memoised by the ids of the distinct sets. */
export function unionAll(sets: Iterable<DepSet>): DepSet {
  // Most calls union one or two distinct sets: no allocation for those.
  let a: DepSet = EMPTY;
  let b: DepSet = EMPTY;
  let more = false;
  const list = Array.isArray(sets) ? (sets as DepSet[]) : [...sets];
  for (const s of list) {
    if (s.length === 0 || s === a || s === b) continue;
    if (a.length === 0) a = s;
    else if (b.length === 0) b = s;
    else {
      more = true;
      break;
    }
  }
  if (!more) return b.length === 0 ? a : union(a, b);
  const distinct: DepSet[] = [];
  const seen = new Set<DepSet>();
  for (const s of list) {
    if (s.length === 0 || seen.has(s)) continue;
    seen.add(s);
    distinct.push(s);
  }
  if (distinct.length === 0) return EMPTY;
  if (distinct.length === 1) return distinct[0]!;
  if (distinct.length === 2) return union(distinct[0]!, distinct[1]!);
  const ids = distinct.map(idOf);
  const key = ids.includes(0) ? undefined : ids.sort((x, y) => x - y).join(",");
  if (key !== undefined) {
    const hit = manyMemo.get(key);
    if (hit) return hit;
  }
  let runs = 0;
  for (const s of distinct) runs += s.length;
  const starts = new Float64Array(runs / 2);
  const ends = new Map<number, number>();
  let k = 0;
  for (const s of distinct) {
    for (let r = 0; r < s.length; r += 2) {
      starts[k++] = s[r]!;
      const e = ends.get(s[r]!);
      if (e === undefined || s[r + 1]! > e) ends.set(s[r]!, s[r + 1]!);
    }
  }
  starts.sort();
  const out: number[] = [];
  for (let r = 0; r < starts.length; r++) {
    if (r > 0 && starts[r] === starts[r - 1]) continue;
    pushRun(out, starts[r]!, ends.get(starts[r]!)!);
  }
  const result = intern(out);
  if (key !== undefined) {
    if (manyMemo.size > 500_000) manyMemo.clear();
    manyMemo.set(key, result);
  }
  return result;
}

/** Elements of `a` not in `b`. */
export function minus(a: DepSet, b: DepSet): DepSet {
  if (a.length === 0 || b.length === 0) return a;
  const out: number[] = [];
  let j = 0;
  for (let i = 0; i < a.length; i += 2) {
    let s = a[i]!;
    const e = a[i + 1]!;
    while (j < b.length && b[j + 1]! <= s) j += 2;
    let k = j;
    while (s < e) {
      if (k >= b.length || b[k]! >= e) {
        out.push(s, e);
        break;
      }
      if (b[k]! > s) out.push(s, b[k]!);
      s = Math.max(s, b[k + 1]!);
      k += 2;
    }
  }
  return out.length === a.length && sameRuns(out, a) ? a : intern(out);
}

/** Elements of `a` within [start, end). */
export function clip(a: DepSet, start: number, end: number): DepSet {
  const out: number[] = [];
  for (let k = 0; k < a.length; k += 2) {
    const s = Math.max(a[k]!, start);
    const e = Math.min(a[k + 1]!, end);
    if (s < e) out.push(s, e);
  }
  return out.length === a.length && sameRuns(out, a) ? a : intern(out);
}

export function* ids(s: DepSet): Generator<number> {
  for (let k = 0; k < s.length; k += 2) for (let id = s[k]!; id < s[k + 1]!; id++) yield id;
}

export function intersect(a: DepSet, b: DepSet): DepSet {
  return minus(a, minus(a, b));
}

export function isSubset(a: DepSet, b: DepSet): boolean {
  return minus(a, b).length === 0;
}
