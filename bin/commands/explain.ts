// `mpc explain CODE`: print a diagnostic's catalogue entry (title and explanation);
// `mpc explain --list` lists every code. Unknown codes are usage errors (exit 2).

import { CATALOGUE, findEntry } from "../../compiler/diagnostics.js";
import { suggest } from "../../compiler/check/suggest.js";

const USAGE = "usage: mpc explain CODE   (e.g. mpc explain E0100; mpc explain --list)";

export async function main(argv: string[]): Promise<number> {
  const [arg, ...rest] = argv;
  if (arg === "--help" || arg === "-h") {
    console.log(`${USAGE}\n\nExplain a diagnostic code printed by mpc, with an example of the fix.`);
    return 0;
  }
  if (arg === "--list") {
    for (const e of CATALOGUE) console.log(`${e.code}  ${e.title}`);
    return 0;
  }
  if (arg === undefined || rest.length > 0 || arg.startsWith("-")) {
    console.error(`mpc explain: ${arg === undefined ? "no code given" : arg.startsWith("-") && rest.length === 0 ? `unknown option '${arg}'` : "give one code"}\n${USAGE}`);
    return 2;
  }
  const e = findEntry(arg);
  if (!e) {
    const near = suggest(arg.toUpperCase(), CATALOGUE.map((c) => c.code));
    console.error(`mpc explain: unknown code '${arg}'${near ? ` (did you mean ${near}?)` : ""}; \`mpc explain --list\` lists them`);
    return 2;
  }
  console.log(`${e.code}: ${e.title}\n\n${e.explanation}`);
  return 0;
}
