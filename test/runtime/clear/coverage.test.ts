import test from "ava";
import { evalClearOp } from "../../../runtime/clear/index.js";
import { OPS } from "../../../runtime/plan/ops.js";
import { T } from "./helpers.js";

// One well-formed call per op of the table: every op has a clear implementation that accepts
// its documented operands and attributes and returns a tensor of the right size.
const CALLS: Record<keyof typeof OPS, [number, Record<string, unknown>, number[]]> = {
  add: [2, {}, [2, 2]], sub: [2, {}, [2, 2]], neg: [1, {}, [2, 2]], mul: [2, {}, [2, 2]], div: [2, {}, [2, 2]],
  square: [1, {}, [2, 2]], matmul: [2, {}, [2, 2]], lt: [2, {}, [2, 2]], le: [2, {}, [2, 2]], gt: [2, {}, [2, 2]],
  ge: [2, {}, [2, 2]], eq: [2, {}, [2, 2]], ne: [2, {}, [2, 2]], and: [2, {}, [2, 2]], or: [2, {}, [2, 2]],
  not: [1, {}, [2, 2]], select: [3, {}, [2, 2]], relu: [1, {}, [2, 2]], sigmoid: [1, {}, [2, 2]], tanh: [1, {}, [2, 2]],
  exp: [1, {}, [2, 2]], log: [1, {}, [2, 2]], sqrt: [1, {}, [2, 2]], inv_sqrt: [1, {}, [2, 2]], reciprocal: [1, {}, [2, 2]],
  abs: [1, {}, [2, 2]], sign: [1, {}, [2, 2]], clip: [1, { min: 0, max: 1 }, [2, 2]], softmax: [1, { axis: 1 }, [2, 2]],
  log_softmax: [1, {}, [2, 2]], sum: [1, { axis: 0, keepdims: false }, [2]], mean: [1, {}, []], max: [1, { axis: 1 }, [2]],
  min: [1, { axis: 0, keepdims: true }, [1, 2]], argmax: [1, { axis: 1 }, [2]], transpose: [1, { perm: [1, 0] }, [2, 2]],
  reshape: [1, { shape: [4] }, [4]], flatten: [1, {}, [2, 2]], concat: [3, { axis: 0 }, [6, 2]], stack: [2, { axis: 0 }, [2, 2, 2]],
  slice: [1, { ranges: [[0, 1]] }, [1, 2]], broadcast_to: [1, { shape: [3, 2, 2] }, [3, 2, 2]], zeros: [0, { shape: [2, 3] }, [2, 3]],
  ones: [0, { shape: [1] }, [1]], cast: [1, { to: "int" }, [2, 2]], conv2d: [2, {}, [1, 1, 1, 1]],
  avg_pool2d: [1, { kernel: 2, stride: 2 }, [1, 1, 1, 1]], max_pool2d: [1, { kernel: 2 }, [1, 1, 1, 1]],
  batchnorm: [5, { eps: 1e-5 }, [1, 1, 2, 2]], mse: [2, {}, []], bce: [2, {}, []], cross_entropy: [2, {}, []],
};

test("every op of runtime/plan/ops.ts has a clear implementation", (t) => {
  for (const [op, [n, attrs, shape]] of Object.entries(CALLS)) {
    const args = Array.from({ length: n }, (_, i) => {
      if (op === "batchnorm") return i === 0 ? T([[[[0.1, 0.2], [0.3, 0.4]]]]) : T([0.5]);
      if (op === "conv2d" || op.endsWith("pool2d")) return T([[[[0.1, 0.2], [0.3, 0.4]]]]);
      return T([[0.1, 0.2], [0.3, 0.4]]);
    });
    const out = evalClearOp(op, args, attrs);
    t.deepEqual(out.shape, shape, op);
    t.is(out.data.length, shape.reduce((a, b) => a * b, 1), op);
  }
  t.deepEqual(Object.keys(CALLS).sort(), Object.keys(OPS).sort());
});
