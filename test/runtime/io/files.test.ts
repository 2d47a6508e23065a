import test from "ava";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { clearTensor } from "../../../runtime/clear/index.js";
import { encodeNpy, loadInputs, readInputFile, resolveInputs, writeOutput, type DeclaredInput } from "../../../runtime/io/index.js";

const tmp = (): string => mkdtempSync(join(tmpdir(), "mpc-io-"));
const A: DeclaredInput = { party: "alice", name: "a", elem: "fixed", shape: [2] };
const B: DeclaredInput = { party: "bob", name: "b", elem: "int", shape: [] };

test("readInputFile picks the reader by extension", (t) => {
  const dir = tmp();
  writeFileSync(join(dir, "a.csv"), "1\n2\n");
  writeFileSync(join(dir, "a.json"), "[3, 4]");
  writeFileSync(join(dir, "a.npy"), encodeNpy(clearTensor([5, 6], [2])));
  t.deepEqual(Array.from(readInputFile(join(dir, "a.csv"), A).data), [1, 2]);
  t.deepEqual(Array.from(readInputFile(join(dir, "a.json"), A).data), [3, 4]);
  t.deepEqual(Array.from(readInputFile(join(dir, "A.NPY".toLowerCase()), A).data), [5, 6]);
});

test("missing, unreadable and unsupported files are clear errors", (t) => {
  const dir = tmp();
  t.throws(() => readInputFile(join(dir, "nope.csv"), A), { message: `input alice.a: cannot read ${join(dir, "nope.csv")}: file not found` });
  mkdirSync(join(dir, "d.csv"));
  t.throws(() => readInputFile(join(dir, "d.csv"), A), { message: `input alice.a: cannot read ${join(dir, "d.csv")}: it is a directory, not a file` });
  t.throws(() => readInputFile(join(dir, "a.txt"), A), {
    message: `input alice.a: cannot read ${join(dir, "a.txt")}: unsupported file type '.txt' (use .csv, .json or .npy)`,
  });
});

test("resolveInputs: flags (qualified or bare) win, the rest come from data/<program>/ next to the program", (t) => {
  const dir = tmp();
  const prog = join(dir, "p.mpc");
  mkdirSync(join(dir, "data", "p"), { recursive: true });
  writeFileSync(join(dir, "data", "p", "alice.a.csv"), "1\n2\n");
  writeFileSync(join(dir, "data", "p", "bob.b.json"), "7");
  const def = resolveInputs(prog, "p", [A, B], []);
  t.deepEqual([...def.entries()].map(([k, b]) => [k, b.path, b.source]), [
    ["alice.a", join(dir, "data", "p", "alice.a.csv"), "default"],
    ["bob.b", join(dir, "data", "p", "bob.b.json"), "default"],
  ]);
  writeFileSync(join(dir, "other.csv"), "9");
  const flagged = resolveInputs(prog, "p", [A, B], ["b=" + join(dir, "other.csv")]);
  t.is(flagged.get("bob.b")!.path, join(dir, "other.csv"));
  t.is(flagged.get("bob.b")!.source, "flag");
  const loaded = loadInputs(flagged);
  t.deepEqual(Array.from(loaded.get("alice.a")!.data), [1, 2]);
  t.deepEqual(Array.from(loaded.get("bob.b")!.data), [9]);
  t.deepEqual(loaded.get("bob.b")!.shape, []);
});

test("resolveInputs lists every missing input with the flag to pass", (t) => {
  const dir = tmp();
  const prog = join(dir, "p.mpc");
  const d = join(dir, "data", "p");
  t.throws(() => resolveInputs(prog, "p", [A, B], []), {
    message:
      "no data for 2 inputs of program p:\n" +
      `  alice.a: pass --input alice.a=PATH, or create ${join(d, "alice.a.csv")}\n` +
      `  bob.b: pass --input bob.b=PATH, or create ${join(d, "bob.b.csv")}\n` +
      "(files may be .csv, .json or .npy)",
  });
});

test("resolveInputs rejects malformed, unknown and duplicate bindings as usage errors", (t) => {
  const e1 = t.throws(() => resolveInputs("p.mpc", "p", [A, B], ["alice.a"]));
  t.is(e1?.message, "--input 'alice.a': expected party.name=PATH or name=PATH");
  t.is((e1 as unknown as { exitCode: number }).exitCode, 2);
  t.throws(() => resolveInputs("p.mpc", "p", [A, B], ["carol.c=x.csv"]), {
    message: "--input 'carol.c=x.csv': program p has no input carol.c (its inputs: alice.a, bob.b)",
  });
  t.throws(() => resolveInputs("p.mpc", "p", [A, B], ["a=1.csv", "alice.a=2.csv"]), {
    message: "--input: alice.a is bound twice (to 1.csv and 2.csv)",
  });
});

test("writeOutput writes DIR/<party>/<name>.json and .csv that read back", (t) => {
  const dir = tmp();
  const m = clearTensor([1, 2.5, -3, 1 / 3, 0, 1e-9], [2, 3]);
  const paths = writeOutput(dir, "alice", "w", m);
  t.is(paths.json, join(dir, "alice", "w.json"));
  t.deepEqual(JSON.parse(readFileSync(paths.json, "utf8")), { shape: [2, 3], data: [1, 2.5, -3, 1 / 3, 0, 1e-9] });
  t.is(readFileSync(paths.csv, "utf8"), `1,2.5,-3\n${1 / 3},0,1e-9\n`);
  const decl: DeclaredInput = { party: "x", name: "w", elem: "fixed", shape: [2, 3] };
  t.deepEqual(Array.from(readInputFile(paths.csv, decl).data), Array.from(m.data));
  t.deepEqual(Array.from(readInputFile(paths.json, decl).data), Array.from(m.data));
  writeOutput(dir, "bob", "s", clearTensor([42], []));
  t.is(readFileSync(join(dir, "bob", "s.csv"), "utf8"), "42\n");
  writeOutput(dir, "bob", "v", clearTensor([1, 2], [2]));
  t.is(readFileSync(join(dir, "bob", "v.csv"), "utf8"), "1\n2\n");
});
