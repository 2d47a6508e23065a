// Data I/O for the runtime: reading party inputs (CSV, JSON, .npy) against their declared shape
// and type, binding inputs to files, and writing revealed outputs. Never logs data; error
// messages name files, inputs, shapes and positions, and show at most the one bad token.

export { readCsv, splitCsvLine } from "./csv.js";
export { fitsShape } from "./fit.js";
export { type DeclaredInput, qualified } from "./input.js";
export { parseJson, readJson } from "./json.js";
export { encodeNpy, readNpy } from "./npy.js";
export { INPUT_EXTENSIONS, readInputFile } from "./read.js";
export { defaultDataDir, type InputBinding, loadInputs, resolveInputs } from "./resolve.js";
export type { ValueLimits } from "./values.js";
export { formatNumber, toCsv, toJson, writeOutput } from "./write.js";
export { type DisplayOptions, formatTensor, showValue } from "./display.js";
