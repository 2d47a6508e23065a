// What each plan node reads and defines, for the scheduler, the cost model and the graph
// exports: the plan's one dataflow definition (runtime/plan/dataflow.ts), under the names the
// compiler uses.

export { nodeDefs as defines, nodeUses as reads } from "../../runtime/plan/dataflow.js";
export { isComm } from "../../runtime/plan/rounds.js";
