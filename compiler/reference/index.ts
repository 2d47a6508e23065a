// The plaintext reference: a checked program run in the clear (see interpreter.ts).
export { type PlaintextOptions, type PlaintextOutput, type PlaintextResult, runPlaintext } from "./interpreter.js";
