// "Did you mean …?": the closest candidate by edit distance (Damerau–Levenshtein with
// adjacent transpositions), if it is close enough to be a plausible typo.

export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  const d: number[][] = Array.from({ length: m + 1 }, (_, i) => [i, ...new Array<number>(n).fill(0)]);
  for (let j = 0; j <= n; j++) d[0]![j] = j;
  for (let i = 1; i <= m; i++) {
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[m]![n]!;
}

/** The best candidate within distance max(1, len/3), ties broken by candidate order. */
export function suggest(name: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.max(1, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    if (c === name) continue;
    if (Math.abs(c.length - name.length) > limit) continue;
    const dist = editDistance(name.toLowerCase(), c.toLowerCase());
    // A suggestion that shares nothing with the name (`c` for `a`) is noise, not a typo fix.
    if (dist <= limit && dist < Math.max(name.length, c.length) && dist < bestD) {
      best = c;
      bestD = dist;
    }
  }
  return best;
}

export const didYouMean = (s: string | undefined): string | undefined => (s === undefined ? undefined : `did you mean \`${s}\`?`);
