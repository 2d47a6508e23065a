// The ring layer's public API: Z_2^64 tensors and their exact ops. Other runtime modules
// import from here, not from the files behind it. Loading this module does not load
// TensorFlow.js; `prepareRingKernels()` does (for the tfjs limb GEMM), and `initTf` lives in
// ./tf.ts for modules that need tfjs themselves.

export {
  type RingTensor,
  size,
  strides,
  ringZeros,
  ringTensor,
  ringFromBigInts,
  ringFromNumbers,
  ringToBigInts,
  ringScalar,
  ringClone,
  ringEqual,
  signedView,
  sameShape,
  broadcastShapes,
} from "./tensor.js";
export {
  ringAdd,
  ringSub,
  ringMul,
  ringNeg,
  ringAnd,
  ringXor,
  ringOr,
  ringNot,
  ringMulScalar,
  ringAddScalar,
  ringShiftRightArith,
  ringShiftRightLogical,
  ringShiftLeft,
  ringAddInPlace,
  ringSubInPlace,
} from "./elementwise.js";
export {
  ringSum,
  ringTranspose,
  ringReshape,
  ringBroadcastTo,
  ringSlice,
  ringConcat,
  ringStack,
  ringIm2col,
  convOutSize,
} from "./shape.js";
export { ringMatmul, matmul2d, typedMatmul, makeLimbMatmul, LIMB_CHUNK, type Matmul2d } from "./matmul.js";
export {
  prepareRingKernels,
  kernelMode,
  sizeClass,
  ringKernel,
  forceRingKernel,
  availableKernels,
  loadTfjsKernel,
  loadWasmKernel,
  type KernelName,
  type KernelMode,
  type KernelReport,
  type SizeClass,
} from "./kernels.js";
