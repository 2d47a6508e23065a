// The local functions: per-party work on shares, with no communication. The plan names them in
// `local` nodes; the runtime implements each (runtime/protocols/local) and tests each against
// a BigInt reference. `party0` terms are added by the first compute party only.

export const LOCAL_FNS = {
  add: "x + y (shares, same shape after broadcast)",
  sub: "x - y",
  neg: "-x",
  sub_pair: "(x - a, y - b): the two masked values a Beaver step opens",
  add_public: "x + c, c clear public (encoded, added by party 0)",
  mul_public: "x * c, c clear public (encoded); a fixed*fixed product needs truncation after",
  matmul_public: "x @ c or c @ x (attr side), c clear public",
  beaver_mul: "c + e*b + d*a + party0(e*d), from opened e, d and triple (a, b, c)",
  beaver_square: "a2 + 2*e*a + party0(e*e), from opened e and pair (a, a2)",
  beaver_matmul: "C + E@B + A@D + party0(E@D), computed as two products per party",
  trunc_local: "2-party share truncation: party 0 x >> bits, party 1 -((-x) >> bits)",
  trunc_unmask: "(m >> bits) - rShift, from the opened m = x + r (party 0 adds the first term)",
  reshape: "shape op applied to shares (attrs of the OPS entry)",
} as const;

export type LocalFnName = keyof typeof LOCAL_FNS;
