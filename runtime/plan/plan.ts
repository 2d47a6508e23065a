// The protocol plan: the versioned contract between the compiler and the runtime.
// `mpc compile` writes it as JSON; the runtime (and the generated party executables) execute
// it. Every node says which parties run it; every communication is an explicit `open` or
// `send` node with a round; all correlated randomness is an explicit `dealer` node. So the
// plan alone says what each party computes, sends and receives, and what the dealer makes.
//
// Values are named by string ids. A value is one of:
//   clear  — a float64 tensor held in the clear by `holders` (all parties, or one);
//   arith  — additive shares over Z_2^64 (fixed point with `precision` fractional bits
//            when elem is "fixed"), one share per compute party;
//   binary — XOR shares over Z_2^64 words (bit-sliced), one share per compute party;
//   ring   — a clear Z_2^64 tensor held by `holders` (an opened masked value).

import type { Visibility } from "./visibility.js";

export const PLAN_FORMAT = "mpc-plan";
export const PLAN_VERSION = 1;

export type ElemType = "fixed" | "int" | "bool";
export type ValueKind = "clear" | "arith" | "binary" | "ring";

export interface ValueInfo {
  id: string;
  kind: ValueKind;
  elem: ElemType;
  shape: number[];
  /** Parties holding a clear/ring value; every compute party for arith/binary shares. */
  holders: string[];
}

export interface SourceRef {
  line: number;
  col: number;
  length: number;
}

interface NodeBase {
  id: string;
  /** Source location of the program construct this node implements, if any. */
  src?: SourceRef;
  /** Program-level op this node belongs to (e.g. "mul", "sigmoid"), for reports and graphs. */
  origin?: string;
}

/** A party reads one of its own inputs (clear, private to it). */
export interface InputNode extends NodeBase {
  kind: "input";
  party: string;
  input: string;
  out: string;
}

/** Clear float64 work by `parties` (public work by all; private work by its owner alone). */
export interface ClearNode extends NodeBase {
  kind: "clear";
  op: string;
  args: string[];
  attrs: Record<string, unknown>;
  parties: string[];
  out: string;
}

/** A clear value (held by `owner`, or public when owner is "public") becomes arithmetic shares.
 *  Encoding to fixed point happens here; pairwise PRG seeds make it free of communication. */
export interface ShareNode extends NodeBase {
  kind: "share";
  from: string;
  owner: string;
  out: string;
}

/** Per-party work on shares (and public clear operands) with no communication. */
export interface LocalNode extends NodeBase {
  kind: "local";
  fn: string;
  args: string[];
  attrs: Record<string, unknown>;
  out: string[];
}

/** Correlated randomness from the dealer (Beaver triples, truncation pairs, random bits, …). */
export interface DealerNode extends NodeBase {
  kind: "dealer";
  item: string;
  attrs: Record<string, unknown>;
  out: string[];
}

/** Every compute party sends its share of each arg to each party in `to`, which reconstruct
 *  the clear ring value. One communication round. */
export interface OpenNode extends NodeBase {
  kind: "open";
  args: string[];
  to: string[];
  out: string[];
  round: number;
}

/** A plain disclosure: `from` party sends its clear value to `to`. One communication round. */
export interface SendNode extends NodeBase {
  kind: "send";
  from: string;
  value: string;
  to: string[];
  out: string;
  round: number;
}

/** A revealed value written for its receivers (`reveal e as name to …`). */
export interface OutputNode extends NodeBase {
  kind: "output";
  value: string;
  name: string;
  to: string[];
}

/** A loop of `count` iterations; `carried` values flow from one iteration to the next.
 *  `index` (if set) is the public loop counter value inside the body. Rounds inside the body
 *  are relative to the start of one iteration; `rounds` is the body's round count. */
export interface LoopNode extends NodeBase {
  kind: "loop";
  count: number;
  start: number;
  index?: string;
  carried: { init: string; param: string; next: string; out: string }[];
  body: PlanNode[];
  rounds: number;
}

export type PlanNode =
  | InputNode
  | ClearNode
  | ShareNode
  | LocalNode
  | DealerNode
  | OpenNode
  | SendNode
  | OutputNode
  | LoopNode;

export interface PlanInput {
  party: string;
  name: string;
  elem: ElemType;
  shape: number[];
}

export interface PlanOutput {
  name: string;
  to: string[];
  elem: ElemType;
  shape: number[];
  /** The visibility the value had before the reveal (public reveals cost nothing). */
  from: Visibility;
}

export interface Plan {
  format: typeof PLAN_FORMAT;
  version: typeof PLAN_VERSION;
  program: string;
  /** sha256 of the plan without this field: parties refuse peers with a different plan. */
  hash: string;
  precision: number;
  parties: string[];
  inputs: PlanInput[];
  outputs: PlanOutput[];
  values: ValueInfo[];
  body: PlanNode[];
  /** Online rounds of the whole program (critical path, loops multiplied out). */
  rounds: number;
}
