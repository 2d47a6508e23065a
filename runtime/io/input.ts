// What an input is (owner, name, element type, declared shape) as io sees it, and the errors io
// raises about one: every message names the input and the file. The io layer never echoes a
// cell of the user's data other than the one bad token it is complaining about.

import { UserError } from "../../grammar/diagnostic.js";
import type { ElemType } from "../plan/plan.js";

export interface DeclaredInput {
  party: string;
  name: string;
  elem: ElemType;
  shape: number[];
}

export const qualified = (d: { party: string; name: string }): string => `${d.party}.${d.name}`;

export const showShape = (s: readonly number[]): string => `[${s.join(", ")}]`;

/** An error about one input file: `input alice.x (data/x.csv): <message>`. */
export function inputError(d: DeclaredInput, file: string, message: string): UserError {
  return new UserError(`input ${qualified(d)} (${file}): ${message}`);
}

/** Quote a bad token for an error message, shortened so a runaway cell cannot flood the
 *  terminal. */
export function quoteToken(tok: string): string {
  const t = tok.length > 24 ? `${tok.slice(0, 24)}…` : tok;
  return `'${t}'`;
}
