// The plaintext reference: a checked program run in the clear (see interpreter.ts).
export { type PlaintextOutput, type PlaintextResult, runPlaintext } from "./interpreter.js";
