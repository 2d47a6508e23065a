// Matching the shape found in a file to the declared shape of an input. The rule: the values
// are taken in row-major order and must be the declared count; the found shape must equal the
// declared one once axes of size 1 are ignored (so a [n] input may come from an n x 1 or
// 1 x n table and a scalar from a single cell). A table (CSV) of d0 rows x prod(d1..) columns
// also fits a declared [d0, d1, …] of rank 3 or more (e.g. images flattened one per row).

const squeeze = (s: readonly number[]): number[] => s.filter((d) => d !== 1);
const same = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);
const prod = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

export function fitsShape(found: readonly number[], declared: readonly number[], table: boolean): boolean {
  if (same(squeeze(found), squeeze(declared))) return true;
  return table && declared.length >= 3 && found.length === 2 && found[0] === declared[0] && found[1] === prod(declared.slice(1));
}
