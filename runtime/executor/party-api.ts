// The API a generated party module is written against (compiler/codegen emits code calling
// it; ./party-runtime.ts implements it; the plan interpreter ./executor.ts calls the same
// implementation). Types only, and no imports: the code generator type-checks every module it
// writes against this file alone, which keeps the check fast. Values are opaque handles: a
// module passes them from one step to the next and never looks inside.
// Must never grow a method that reads another party's input or bypasses a round.

/** A value this party holds: its own clear data, a public value, a share, or an opened value. */
export interface Value {
  /** "clear": a float64 tensor; "ring": shares or an opened masked value over Z_2^64. */
  readonly kind: "clear" | "ring";
}

/** A clear float64 tensor (this party's own data, or a public value). */
export interface Clear extends Value {
  readonly kind: "clear";
}

/** Shares of a secret value (or a value opened to this party) over Z_2^64. */
export interface Ring extends Value {
  readonly kind: "ring";
}

export type ElemType = "fixed" | "int" | "bool";

export type Attrs = Readonly<Record<string, unknown>>;

/** How a clear value enters secret sharing (a `share` step). */
export interface ShareSpec {
  /** The party holding the clear value, or "public" (party 0 takes it, the others 0). */
  owner: string;
  elem: ElemType;
  shape: readonly number[];
  /** The owner's input it comes from (named in range errors at the owner). */
  input?: string;
}

/** One message step of a round, from this party's point of view. */
export type Step =
  /** Open secret-shared values: send my shares to `sendTo`; if `receiveFrom` is not empty
   *  (then it is every other party), receive theirs and reconstruct. `xor`: XOR shares. */
  | { open: string; shares: readonly Value[]; sendTo: readonly string[]; receiveFrom: readonly string[]; xor?: boolean }
  /** Disclose one of my clear (or ring) values to `to` (a plain disclosure the audit reports). */
  | { send: string; value: Value; to: readonly string[] }
  /** Receive `from`'s disclosed value (clear unless `ring` is set) of the given shape. */
  | { receive: string; from: string; shape: readonly number[]; ring?: boolean };

/** The runtime one generated party module drives. */
export interface PartyApi {
  /** This party's own input `name`, checked against its declared shape. */
  input(name: string, shape: readonly number[]): Clear;
  /** A public scalar (a loop counter's value). */
  constant(x: number): Clear;
  /** Clear float64 work (an op of runtime/plan/ops.ts, `const`, or `decode` of an opened value). */
  clear(op: string, args: readonly Value[], attrs?: Attrs): Clear;
  /** This party's share of a clear value (`value` where this party holds it, else undefined).
   *  No communication: the other parties' shares come from pairwise PRG seeds. */
  share(step: string, value: Clear | undefined, spec: ShareSpec): Ring;
  /** A local function on shares and clear values (runtime/protocols/spec/local-fns.ts);
   *  `undefined` stands for another party's private value. */
  local(fn: string, args: readonly (Value | undefined)[], attrs?: Attrs): Value[];
  /** This party's shares of a dealer item (runtime/protocols/spec/dealer-items.ts). */
  dealer(step: string, item: string, attrs?: Attrs): Ring[];
  /** One communication round (`round` is the plan's round number in its scope): every step's
   *  messages to one peer go in ONE frame. Per step: the reconstructed or received values. */
  round(round: number, steps: readonly Step[]): Promise<Value[][]>;
  /** Keep a value revealed to this party as output `name` (decoded as `elem` if opened). */
  output(name: string, value: Value, elem: ElemType): void;
  /** Done with these values: their memory can go. */
  free(...values: readonly (Value | undefined)[]): void;
  /** A loop starts (`count` iterations); `iteration(i)` at the top of each (i from 0) labels its
   *  dealer items, sharings and messages; `endLoop()` after the last. */
  loop(step: string, count: number): void;
  iteration(i: number): void;
  endLoop(): void;
}

/** What a generated party module exports. */
export interface PartyModule {
  PROGRAM: string;
  PARTY: string;
  /** The plan this module was generated from; checked at start-up and in the TLS handshake. */
  PLAN_HASH: string;
  run(rt: PartyApi): Promise<void>;
}

/** One dealer item, as the generated dealer module lists them (`at`: loop iteration path). */
export interface DealerItem {
  step: string;
  at?: readonly number[];
  item: string;
  attrs: Attrs;
}

/** What a generated dealer module exports. */
export interface DealerModule {
  PROGRAM: string;
  PLAN_HASH: string;
  items(): Iterable<DealerItem>;
}
