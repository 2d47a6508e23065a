// Reading a subcommand's command-line flags: one argument at a time, `--flag value` or
// `--flag=value`, with the usage errors every command words the same way. Commands keep their
// own switch over flag names (what a flag means is theirs); this module only reads. It never
// prints: a command catches UsageError, prints its message and usage, and exits 2.

/** A mistake in the command line (exit code 2, printed with the command's usage). */
export class UsageError extends Error {}

/** Walks argv: after `next()`, `arg` is the whole argument and `flag` the part before any
 *  `=` of a `--flag=value`. */
export class FlagReader {
  arg = "";
  flag = "";
  private eq = -1;
  private i = -1;

  constructor(private readonly argv: readonly string[]) {}

  next(): boolean {
    if (++this.i >= this.argv.length) return false;
    this.arg = this.argv[this.i]!;
    this.eq = this.arg.startsWith("--") ? this.arg.indexOf("=") : -1;
    this.flag = this.eq > 0 ? this.arg.slice(0, this.eq) : this.arg;
    return true;
  }

  /** The flag's value: after its `=`, else the next argument. */
  value(): string {
    if (this.eq > 0) return this.arg.slice(this.eq + 1);
    const v = this.argv[++this.i];
    if (v === undefined) throw new UsageError(`${this.flag} needs a value`);
    return v;
  }

  /** For a switch: refuse `--flag=value`. */
  noValue(): void {
    if (this.eq > 0) throw new UsageError(`${this.flag} takes no value`);
  }

  /** A decimal value (digits, optional fraction), returned as written; `positive` refuses 0.
   *  `unit` names what it counts in the error ("seconds"). */
  decimal(positive: boolean, unit?: string): string {
    const v = this.value();
    if (!/^\d+(\.\d+)?$/.test(v) || (positive && !(Number(v) > 0))) {
      throw new UsageError(`${this.flag} takes a ${positive ? "positive" : "non-negative"} number${unit ? ` of ${unit}` : ""}, got '${v}'`);
    }
    return v;
  }

  /** An integer value in lo..hi. */
  int(lo: number, hi: number): number {
    const v = this.value();
    const n = Number(v);
    if (!/^\d+$/.test(v) || n < lo || n > hi) throw new UsageError(`${this.flag} takes an integer from ${lo} to ${hi}, got '${v}'`);
    return n;
  }

  /** Not a known flag: a positional argument (`-` counts as one), else an unknown option. */
  positional(files: string[]): void {
    if (this.arg.startsWith("-") && this.arg !== "-") throw new UsageError(`unknown option '${this.arg}'`);
    files.push(this.arg);
  }
}

/** The one program file a command takes. */
export function oneProgramFile(files: readonly string[]): string {
  if (files.length !== 1) throw new UsageError(files.length === 0 ? "no program file given" : `give exactly one program file, got ${files.length}`);
  return files[0]!;
}

/** A command's arguments from argv, or the exit code when there are none to run with: a usage
 *  error prints `mpc COMMAND: message` and the usage on stderr (2); `--help` prints the help
 *  (0). Any other error propagates. */
export async function commandLine<T>(command: string, argv: string[], parse: (argv: string[]) => T | "help", usage: string, help: () => string | Promise<string>): Promise<T | number> {
  let args: T | "help";
  try {
    args = parse(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`mpc ${command}: ${e.message}\n${usage}`);
    return 2;
  }
  if (args === "help") {
    console.log(await help());
    return 0;
  }
  return args;
}
