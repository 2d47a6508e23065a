// Writes generated modules to a directory: <role>.ts (the reviewed source) and <role>.js (what
// runs), and a package.json saying the .js files are ES modules when the directory has none.
// The only module of the code generator that touches the file system.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { GeneratedModule } from "./project.js";

export interface WrittenModules {
  files: string[];
  /** Set when DIR has a package.json that does not make .js files ES modules. */
  warning?: string;
}

export function writeModules(modules: readonly GeneratedModule[], dir: string): WrittenModules {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (const m of modules) {
    for (const [ext, text] of [["ts", m.ts], ["js", m.js]] as const) {
      const f = join(dir, `${m.fileName}.${ext}`);
      writeFileSync(f, text);
      files.push(f);
    }
  }
  const pkg = join(dir, "package.json");
  if (!existsSync(pkg)) {
    writeFileSync(pkg, JSON.stringify({ type: "module", private: true }, null, 2) + "\n");
    return { files };
  }
  let type: unknown;
  try {
    type = (JSON.parse(readFileSync(pkg, "utf8")) as { type?: unknown }).type;
  } catch {
    type = undefined;
  }
  if (type === "module") return { files };
  return { files, warning: `${pkg} does not say "type": "module", so node will not load the generated .js files from ${dir} as ES modules` };
}
