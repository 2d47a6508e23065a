// The generated modules as TypeScript source files (ts-morph), type-checked against the party
// API (runtime/executor/party-api.ts) before anything is written, and compiled to JavaScript.
// One in-memory ts-morph project per process: the standard library is parsed once and reused.
// Writes nothing to disk; a type error in generated code is a compiler bug, reported as such.

import { existsSync, readFileSync } from "node:fs";
import { type CodeBlockWriter, IndentationText, Project, QuoteKind, ts, type SourceFile, StructureKind, VariableDeclarationKind } from "ts-morph";
import type { Plan } from "../../runtime/plan/plan.js";
import { dealerPart } from "./dealer.js";
import { partyPart, wrap } from "./party.js";

/** The import specifier generated modules take the party API's types from. */
export const API_SPECIFIER = "mpc/runtime/executor/party-api.js";

export interface GeneratedModule {
  /** A party's name, or "dealer". */
  role: string;
  /** `<role>.ts` and `<role>.js` */
  fileName: string;
  ts: string;
  js: string;
}

export interface GenerateOptions {
  /** The program's source text: comments quote its lines, names come from its statements. */
  source?: string;
  /** The program's file, as shown in each module's header. */
  file?: string;
}

export interface Generated {
  modules: GeneratedModule[];
  /** Milliseconds: building the modules, type-checking them, emitting JavaScript. */
  timings: { generateMs: number; checkMs: number; emitMs: number };
}

/** Where the party API's declarations are (the source tree, from source or from dist/). */
function apiSource(): string {
  for (const rel of ["../../runtime/executor/party-api.ts", "../../../runtime/executor/party-api.ts"]) {
    const u = new URL(rel, import.meta.url);
    if (existsSync(u)) return readFileSync(u, "utf8");
  }
  throw new Error("internal: codegen cannot find runtime/executor/party-api.ts to type-check generated modules against");
}

/** The version of the mpc generating modules (its package.json's), which the runtime that runs
 *  a module must have: the party API is not versioned apart from mpc, and every party of a run
 *  runs the same mpc version anyway (the TLS handshake checks it). */
export function generatorVersion(): string {
  for (let dir = new URL("./", import.meta.url), i = 0; i < 6; i++, dir = new URL("../", dir)) {
    try {
      const pkg = JSON.parse(readFileSync(new URL("package.json", dir), "utf8")) as { name?: string; version?: string };
      if (pkg.name === "mpc" && typeof pkg.version === "string") return pkg.version;
    } catch {
      // no package.json here: look further up
    }
  }
  return "unknown";
}

/** The runtime's command-line entry of generated modules, by package specifier: what a module
 *  run with node resolves first, so that it runs with the mpc installed where it runs (through
 *  package.json "exports"; the "mpc-source" condition selects the TypeScript source). */
export const RUNTIME_PACKAGE = "mpc/runtime/executor/module-main.js";

/** The runtime's command-line entry of generated modules, as this mpc installation has it (the
 *  fallback of a module run with node where no mpc package resolves). */
export function runtimeEntry(): string {
  const ext = import.meta.url.endsWith(".ts") ? "ts" : "js";
  return new URL(`../../runtime/executor/module-main.${ext}`, import.meta.url).href;
}

// What the generated command-line block uses of Node, declared for the type check alone (the
// full @types/node would triple the time of the check).
const NODE_STUB = `
declare var process: { argv: string[]; exitCode?: number | undefined; stderr: { write(text: string): boolean } };
interface ImportMeta { url: string; resolve(specifier: string): string }
declare module "node:url" { export function pathToFileURL(path: string): { href: string }; export function fileURLToPath(url: string): string; }
declare module "node:fs" { export function existsSync(path: string): boolean; }
`;

let shared: Project | undefined;
let generation = 0;

function project(): Project {
  if (shared) return shared;
  shared = new Project({
    useInMemoryFileSystem: true,
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ["lib.es2022.d.ts"],
      types: [],
      strict: true,
      noUnusedLocals: true,
      noImplicitReturns: true,
      skipLibCheck: true,
      paths: { [API_SPECIFIER]: ["/mpc/party-api.ts"] },
      outDir: "/out",
      rootDir: "/",
      sourceMap: false,
      removeComments: false,
    },
    manipulationSettings: { indentationText: IndentationText.TwoSpaces, quoteKind: QuoteKind.Double, useTrailingCommas: true },
  });
  shared.createSourceFile("/mpc/party-api.ts", apiSource(), { overwrite: true });
  shared.createSourceFile("/mpc/node-stub.d.ts", NODE_STUB, { overwrite: true });
  return shared;
}

const q = JSON.stringify;

/** Paragraphs as a `//` comment block, wrapped at 100 columns ("" is an empty comment line). */
function comment(paragraphs: readonly string[]): string {
  return paragraphs.flatMap((p) => (p === "" ? ["//"] : wrap(p, 97).map((l) => `// ${l}`))).join("\n");
}
const blank = (w: CodeBlockWriter): void => {
  w.blankLine();
};

function partyFile(p: Project, dir: string, plan: Plan, party: string, opts: GenerateOptions): SourceFile {
  const part = partyPart(plan, party, opts.source);
  const inputs = part.inputs.map((i) => i.name);
  const sent = [...part.traffic.sent].map(([peer, n]) => `${n} to ${peer}`).join(", ") || "none";
  const received = [...part.traffic.received].map(([peer, n]) => `${n} from ${peer}`).join(", ") || "none";
  const inputFlags = inputs.map((i) => ` --input ${i}=PATH`).join("");
  const from = opts.file ? ` (${opts.file})` : "";
  const header = comment([
    `Party ${party} of program ${plan.program}${from}, generated by \`mpc compile\`: do not edit.`,
    "",
    `Everything ${party} computes, sends and receives when it runs ${plan.program}, in order: its own inputs` +
      `${inputs.length ? ` (${inputs.join(", ")})` : " (it has none)"}, its local steps, its shares of the other parties' values, the dealer's items it ` +
      "takes, and in each communication round exactly what it sends to whom and receives from whom. Nothing here " +
      "reads another party's input or does another party's private work.",
    "",
    `Run it as ${party}, with the mpc installed on ${party}'s machine and ${plan.program}.plan.json next to this file: ` +
      `mpc run --party ${party} --module ${party}.js --config parties.json${inputFlags} [--out DIR] (or node ${party}.js with the same flags). ` +
      "The runtime checks PLAN_HASH against that plan at start-up, and the TLS handshake refuses peers that run another plan.",
  ]);
  const sf = p.createSourceFile(`${dir}/${party}.ts`, "", { overwrite: true });
  sf.addStatements([
    header,
    blank,
    { kind: StructureKind.ImportDeclaration, namedImports: ["existsSync"], moduleSpecifier: "node:fs" },
    { kind: StructureKind.ImportDeclaration, namedImports: ["fileURLToPath", "pathToFileURL"], moduleSpecifier: "node:url" },
    { kind: StructureKind.ImportDeclaration, isTypeOnly: true, namedImports: part.usesValueType ? ["PartyApi", "Value"] : ["PartyApi"], moduleSpecifier: API_SPECIFIER },
    blank,
    exportedConst("PROGRAM", q(plan.program)),
    exportedConst("PARTY", q(party)),
    exportedConst("PLAN_HASH", q(plan.hash), "sha256 of the plan this module was generated from."),
    exportedConst("MPC_VERSION", q(generatorVersion()), "The mpc version that generated this module: the runtime that runs it must be the same version."),
    blank,
    {
      kind: StructureKind.Function,
      isExported: true,
      isAsync: true,
      name: "run",
      parameters: [{ name: "rt", type: "PartyApi" }],
      returnType: "Promise<void>",
      docs: [
        `${party}'s part of ${plan.program}: ${plan.rounds} communication round${plan.rounds === 1 ? "" : "s"}; messages sent: ${sent}; ` +
          `received: ${received}; dealer items taken: ${part.traffic.dealerItems}.`,
      ],
      statements: (w: CodeBlockWriter) => part.writeBody(w),
    },
    ...part.tables.flatMap((t, i) => (i === 0 ? [constant(t.name, t.value, t.doc)] : [blank, constant(t.name, t.value, t.doc)])),
    ...(part.tables.length > 0 ? [blank] : []),
    ...commandLine(party, `runPartyCommand({ PROGRAM, PARTY, PLAN_HASH, MPC_VERSION, run }`, `node ${party}.js --config parties.json${inputFlags} [--out DIR]`, `mpc run --party ${party} --module ${party}.js`),
  ]);
  return sf;
}

function dealerFile(p: Project, dir: string, plan: Plan, opts: GenerateOptions): SourceFile {
  const part = dealerPart(plan, opts.source);
  const from = opts.file ? ` (${opts.file})` : "";
  const header = comment([
    `The dealer of program ${plan.program}${from}, generated by \`mpc compile\`: do not edit.`,
    "",
    "The dealer (a trusted third party, not a party of the program) makes the correlated randomness the parties " +
      "consume: Beaver triples, truncation pairs, comparison masks. Below is every item, in the order the parties " +
      "use them. Each party's share of an item comes from the seed it shares with the dealer; only the last party " +
      `(${plan.parties[plan.parties.length - 1]}) receives one correction share per item. The dealer reads no input and receives nothing from the parties.`,
    "",
    `Run it, with ${plan.program}.plan.json next to this file: mpc run --dealer --module dealer.js --config parties.json ` +
      "(or node dealer.js with the same flags). PLAN_HASH is checked against that plan at start-up and in the TLS handshake.",
  ]);
  const sf = p.createSourceFile(`${dir}/dealer.ts`, "", { overwrite: true });
  sf.addStatements([
    header,
    blank,
    { kind: StructureKind.ImportDeclaration, namedImports: ["existsSync"], moduleSpecifier: "node:fs" },
    { kind: StructureKind.ImportDeclaration, namedImports: ["fileURLToPath", "pathToFileURL"], moduleSpecifier: "node:url" },
    { kind: StructureKind.ImportDeclaration, isTypeOnly: true, namedImports: ["DealerItem"], moduleSpecifier: API_SPECIFIER },
    blank,
    exportedConst("PROGRAM", q(plan.program)),
    exportedConst("PLAN_HASH", q(plan.hash), "sha256 of the plan this module was generated from."),
    exportedConst("MPC_VERSION", q(generatorVersion()), "The mpc version that generated this module: the runtime that runs it must be the same version."),
    blank,
    {
      kind: StructureKind.Function,
      isExported: true,
      isGenerator: true,
      name: "items",
      returnType: "Generator<DealerItem>",
      docs: [`Every item the dealer makes for ${plan.program}, in the order the parties use them (${part.items} in all).`],
      statements: (w: CodeBlockWriter) => part.writeBody(w),
    },
    ...part.tables.flatMap((t, i) => (i === 0 ? [constant(t.name, t.value, t.doc)] : [blank, constant(t.name, t.value, t.doc)])),
    ...(part.tables.length > 0 ? [blank] : []),
    ...commandLine("dealer", `runDealerCommand({ PROGRAM, PLAN_HASH, MPC_VERSION, items }`, "node dealer.js --config parties.json", "mpc run --dealer --module dealer.js"),
  ]);
  return sf;
}

function exportedConst(name: string, init: string, doc?: string) {
  return {
    kind: StructureKind.VariableStatement as const,
    isExported: true,
    declarationKind: VariableDeclarationKind.Const,
    declarations: [{ name, initializer: init }],
    ...(doc ? { docs: [doc] } : {}),
  };
}

function constant(name: string, init: string, doc: string) {
  return { kind: StructureKind.VariableStatement as const, declarationKind: VariableDeclarationKind.Const, declarations: [{ name, initializer: init }], docs: [doc] };
}

/** The block that makes the module a program: only when node runs this very file. It runs with
 *  the mpc installed where it runs (RUNTIME_PACKAGE, resolved from the module's folder), else
 *  with the mpc that generated it (RUNTIME), else it says that neither is there. */
function commandLine(role: string, call: string, usage: string, mpcRun: string) {
  return [
    constant("RUNTIME_PACKAGE", q(RUNTIME_PACKAGE), "The mpc runtime's entry for generated modules run as programs, as the mpc package exports it."),
    blank,
    constant("RUNTIME", q(runtimeEntry()), "The same entry in the mpc that generated this module (used when no mpc package resolves from here)."),
    blank,
    (w: CodeBlockWriter) => {
      w.writeLine("/** The runtime to hand over to: the installed mpc package's, else the generating mpc's. */");
      w.write("function runtime(): string | undefined ").block(() => {
        w.write("try ").inlineBlock(() => {
          w.writeLine("const url = import.meta.resolve(RUNTIME_PACKAGE);");
          w.writeLine("if (url.startsWith(\"file:\") && existsSync(fileURLToPath(url))) return url;");
        });
        w.write(" catch ").block(() => {
          w.writeLine("// no mpc package here");
        });
        w.writeLine("return existsSync(fileURLToPath(RUNTIME)) ? RUNTIME : undefined;");
      });
      w.blankLine();
      w.writeLine(`// As a program (${usage}): hand over to the runtime.`);
      w.write("if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) ").block(() => {
        w.writeLine("const host = runtime();");
        w.write("if (host === undefined) ").inlineBlock(() => {
          w.writeLine(
            `process.stderr.write(\`${role}: cannot find the mpc runtime: \${RUNTIME_PACKAGE} does not resolve from this folder (install mpc as a package in this folder or a parent) ` +
              `and \${RUNTIME} (the mpc that generated this module) does not exist; or run it with mpc installed anywhere: ${mpcRun} --config parties.json …\\n\`);`,
          );
          w.writeLine("process.exitCode = 1;");
        });
        w.write(" else ").block(() => {
          w.writeLine(`process.exitCode = await (await import(host)).${call}, import.meta.url, process.argv.slice(2));`);
        });
      });
    },
  ];
}

/** Type errors of TypeScript sources checked as generated modules are (against the party API,
 *  strict, no unused locals): for tests of the check itself. */
export function typeErrors(sources: ReadonlyMap<string, string>): string[] {
  const p = project();
  for (const f of p.getSourceFiles("/src/**")) p.removeSourceFile(f);
  const dir = `/src/g${++generation}`;
  for (const [name, text] of sources) p.createSourceFile(`${dir}/${name}.ts`, text, { overwrite: true });
  const out = p
    .getPreEmitDiagnostics()
    .filter((d) => d.getSourceFile()?.getFilePath().startsWith("/src/") ?? true)
    .map((d) => {
      const m = d.getMessageText();
      return typeof m === "string" ? m : m.getMessageText();
    });
  for (const f of p.getSourceFiles("/src/**")) p.removeSourceFile(f);
  return out;
}

/** Every module of a plan: one per party and the dealer's, checked and compiled. */
export function generateModules(plan: Plan, opts: GenerateOptions = {}): Generated {
  const t0 = performance.now();
  const p = project();
  for (const f of p.getSourceFiles("/src/**")) p.removeSourceFile(f);
  // a fresh folder per generation: the language service caches emit output by file name
  const dir = `/src/g${++generation}`;
  const files = [...plan.parties.map((party) => ({ role: party, sf: partyFile(p, dir, plan, party, opts) })), { role: "dealer", sf: dealerFile(p, dir, plan, opts) }];
  const t1 = performance.now();
  const diagnostics = p.getPreEmitDiagnostics().filter((d) => d.getSourceFile()?.getFilePath().startsWith("/src/") ?? true);
  const t2 = performance.now();
  if (diagnostics.length > 0) {
    const text = p.formatDiagnosticsWithColorAndContext(diagnostics.slice(0, 5));
    throw new Error(`internal: the generated modules of ${plan.program} do not type-check (a code generator bug):\n${text}`);
  }
  const modules: GeneratedModule[] = [];
  for (const { role, sf } of files) {
    const out = p.emitToMemory({ targetSourceFile: sf });
    const js = out.getFiles().find((f) => f.filePath.endsWith(`/${role}.js`));
    if (out.getEmitSkipped() || !js) throw new Error(`internal: codegen could not emit JavaScript for ${role}`);
    modules.push({ role, fileName: role, ts: sf.getFullText(), js: js.text });
  }
  const t3 = performance.now();
  return { modules, timings: { generateMs: t1 - t0, checkMs: t2 - t1, emitMs: t3 - t2 } };
}

