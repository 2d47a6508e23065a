// The audit's finding catalogue: one entry per kind of finding, with its code, default
// severity and an explanation. The text, JSON and SARIF renderers and docs/audit.md all
// speak these codes, so a finding is findable, testable and documented in one place.

export type Severity = "error" | "warning" | "info";

export interface AuditRule {
  code: string;
  /** Stable kebab-case name (SARIF rule name). */
  name: string;
  severity: Severity;
  title: string;
  explanation: string;
}

const rule = (code: string, name: string, severity: Severity, title: string, explanation: string): AuditRule => ({
  code,
  name,
  severity,
  title,
  explanation,
});

export const RULES = {
  exactDisclosure: rule(
    "A001",
    "exact-disclosure",
    "error",
    "a party can compute another party's input exactly",
    "Given its own inputs and everything revealed to it, the party can compute one or more elements of another party's input exactly (up to fixed-point rounding): the revealed values, as exact linear equations with public coefficients, determine them, possibly after inverting an injective function such as exp or sigmoid. Example: two parties revealing a + b to both: each subtracts its own input.",
  ),
  plainDisclosure: rule(
    "A002",
    "plain-disclosure",
    "warning",
    "a party's private value is sent to another party in the clear",
    "The revealed value is computed from one party's inputs only (visibility private(P)), so no secret sharing is involved: P sends it to the receivers as it is. That may be intended (P publishing an aggregate of its own data), but it is not protected by MPC.",
  ),
  narrowDisclosure: rule(
    "A003",
    "narrow-disclosure",
    "warning",
    "a party learns a non-linear function of a single hidden input element",
    "A revealed element depends, once the receiver's own inputs are known, on exactly one element of another party's input: a comparison reveals one bit of it, relu reveals it whenever it is positive, abs or square reveal it up to sign. Not an exact disclosure, but information about an identifiable value rather than an aggregate.",
  ),
  linearCombination: rule(
    "A004",
    "linear-combination",
    "info",
    "a party learns a linear combination of other parties' inputs",
    "The revealed values let the party compute a linear combination of several hidden input elements (e.g. the sum of the other three parties' numbers) but none of them individually. This is usually the intended result of an aggregate; check that the combination mixes enough values.",
  ),
  nonlinearDisclosure: rule(
    "A005",
    "nonlinear-disclosure",
    "info",
    "a party learns a non-linear function of many hidden input elements",
    "The revealed values are non-linear functions (model weights after training, predicted classes, comparison bits) of several hidden input elements each. The audit does not claim they can be inverted; it reports which elements each depends on and what kind of value it is (a class index reveals at most log2(classes) bits per row).",
  ),
  analysisLimit: rule(
    "A006",
    "analysis-limit",
    "warning",
    "part of the program was analysed by dependence only",
    "The exact analysis was stopped (a budget, an unknown op, a loop too long to unroll, a linear system too large): the affected values are reported by the input elements they may depend on, and exact disclosures among them may be missed.",
  ),
  policyViolation: rule(
    "P001",
    "policy-violation",
    "error",
    "the program violates the audit policy",
    "A rule of the policy file (mpc audit --policy FILE) is broken by a reveal: a party can compute an element it must not learn, or receives a value that depends on an input it must learn nothing about.",
  ),
} as const satisfies Record<string, AuditRule>;

export type RuleKey = keyof typeof RULES;

export const ALL_RULES: AuditRule[] = Object.values(RULES);
