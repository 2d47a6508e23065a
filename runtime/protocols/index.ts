// The protocols layer's API: the PlanBuilder, the protocols written once as builder steps
// (spec/), the tables of local functions and dealer items, and the local functions' runtime
// implementations (local/). The compiler imports builder + spec; the executor imports local.
export { PlanBuilder, type ProtocolContext, type ValueSpec, type OutSpec } from "./builder.js";
export {
  mulSecret,
  squareSecret,
  matmulSecret,
  mulPrivate,
  matmulPrivate,
  rescale,
  truncate,
  revealTo,
} from "./spec/arithmetic.js";
export {
  SHARE_LINEAR_OPS,
  type ShareLinearOp,
  isShareLinearOp,
  linearSecret,
  clearHolder,
  addClear,
  isPublic,
  mulPublic,
  matmulPublic,
  divPublic,
  DIV_EXTRA_BITS,
  constBits,
  mulConst,
  meanSecret,
  castSecret,
} from "./spec/linear.js";
export { LOCAL_FNS, type LocalFnName, isLocalFn } from "./spec/local-fns.js";
export {
  DEALER_ITEMS,
  type DealerItemName,
  type DealerItemInfo,
  type DealerOutputLayout,
  isDealerItem,
  dealerItemWireElements,
} from "./spec/dealer-items.js";
export { LOCAL_IMPLS, localFn, type LocalContext, type LocalFn, type LocalValue } from "./local/index.js";
