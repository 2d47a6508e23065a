// The non-linear protocols, one module per function family (see each for its method, range,
// error and rounds; docs/protocols.md has the summary table).
export { expSecret, EXP_LOWER } from "./exp.js";
export { logSecret, logPositive } from "./log.js";
export { reciprocalSecret, reciprocalPositive, divSecret } from "./reciprocal.js";
export { sqrtSecret, invSqrtSecret } from "./sqrt.js";
export { sigmoidSecret, tanhSecret, segmentFunction, SIGMOID, TANH } from "./sigmoid.js";
export { softmaxSecret, logSoftmaxSecret } from "./softmax.js";
export { normalize } from "./normalize.js";
export { lookup } from "./lookup.js";
