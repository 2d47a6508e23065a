// Statistical checks for share uniformity and independence: chi-square goodness of fit and
// two-sample homogeneity, with critical values from the Wilson–Hilferty approximation at a
// one-sided z of 4.75 (a false alarm about once in a million runs).

export const Z_CRIT = 4.75;

/** Upper critical value of chi-square with k degrees of freedom at standard-normal quantile z. */
export function chiSquareCritical(k: number, z = Z_CRIT): number {
  const c = 2 / (9 * k);
  return k * (1 - c + z * Math.sqrt(c)) ** 3;
}

/** Chi-square statistic of the byte histogram of `data` against uniform (255 dof). */
export function byteUniformity(data: ArrayBufferView): number {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const counts = new Float64Array(256);
  for (let i = 0; i < bytes.length; i++) counts[bytes[i]!]++;
  const e = bytes.length / 256;
  let chi = 0;
  for (const c of counts) chi += (c - e) ** 2 / e;
  return chi;
}

/** Histogram of the top `bits` bits of each 64-bit element. */
export function topBitsHistogram(x: BigUint64Array, bits: number): Float64Array {
  const h = new Float64Array(1 << bits);
  const shift = BigInt(64 - bits);
  for (let i = 0; i < x.length; i++) h[Number(x[i]! >> shift)]++;
  return h;
}

/** Chi-square statistic that two histograms come from the same distribution (dof: bins - 1). */
export function homogeneity(a: Float64Array, b: Float64Array): number {
  const na = a.reduce((s, v) => s + v, 0);
  const nb = b.reduce((s, v) => s + v, 0);
  let chi = 0;
  for (let i = 0; i < a.length; i++) {
    const tot = a[i]! + b[i]!;
    if (tot === 0) continue;
    const ea = (tot * na) / (na + nb);
    const eb = (tot * nb) / (na + nb);
    chi += (a[i]! - ea) ** 2 / ea + (b[i]! - eb) ** 2 / eb;
  }
  return chi;
}

/** Chi-square statistic of independence of two streams: the joint histogram of their top
 *  `bits` bits against the product of the marginals ((2^bits - 1)^2 dof). */
export function independence(x: BigUint64Array, y: BigUint64Array, bits: number): number {
  const k = 1 << bits;
  const joint = new Float64Array(k * k);
  const shift = BigInt(64 - bits);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) joint[Number(x[i]! >> shift) * k + Number(y[i]! >> shift)]++;
  const rows = new Float64Array(k);
  const cols = new Float64Array(k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) {
    rows[i] += joint[i * k + j]!;
    cols[j] += joint[i * k + j]!;
  }
  let chi = 0;
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) {
    const e = (rows[i]! * cols[j]!) / n;
    if (e > 0) chi += (joint[i * k + j]! - e) ** 2 / e;
  }
  return chi;
}
