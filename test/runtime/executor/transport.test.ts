// The in-process transport: frames arrive in order with their payload moved (not copied),
// traffic is counted per peer and per round, and a mismatch, a timeout, a closed channel or a
// lost peer is a clear error.

import test from "ava";
import { MessageChannel } from "node:worker_threads";
import { PortTransport } from "../../../runtime/transport/index.js";

function pair(timeoutMs = 2000) {
  const ch = new MessageChannel();
  return [new PortTransport("alice", new Map([["bob", ch.port1]]), timeoutMs), new PortTransport("bob", new Map([["alice", ch.port2]]), timeoutMs)] as const;
}

test("frames arrive in order, payloads are transferred, traffic is counted", async (t) => {
  const [a, b] = pair();
  const buf = new Float64Array([1, 2, 3]).buffer;
  a.send("bob", { round: 0, where: "r0", nodes: ["n1"] }, [buf]);
  a.send("bob", { round: 1, where: "r1", nodes: ["n2", "n3"] }, [new ArrayBuffer(16)]);
  t.is(buf.byteLength, 0); // moved to the receiver
  const p0 = await b.receive("alice", { round: 0, where: "r0", nodes: ["n1"] });
  t.deepEqual([...new Float64Array(p0[0]!)], [1, 2, 3]);
  const p1 = await b.receive("alice", { round: 1, where: "r1", nodes: ["n2", "n3"] });
  t.is(p1[0]!.byteLength, 16);
  const s = a.stats();
  t.deepEqual(s.sent.map((x) => [x.from, x.to, x.messages]), [["alice", "bob", 2]]);
  t.deepEqual(s.perRound.map((x) => [x.round, x.messages]), [[0, 1], [1, 1]]);
  t.true(s.sent[0]!.bytes >= 24 + 16);
  a.close();
  b.close();
});

test("a frame for another round or other nodes is refused naming the peer and both rounds", async (t) => {
  const [a, b] = pair();
  a.send("bob", { round: 3, where: "plan round 1", nodes: ["n9"] }, [new ArrayBuffer(8)]);
  await t.throwsAsync(b.receive("alice", { round: 2, where: "plan round 0", nodes: ["n7"] }), {
    name: "TransportError",
    message:
      "party bob expected round 2 (plan round 0; nodes n7) from alice, but received round 3 (plan round 1; nodes n9): " +
      "the parties are not executing the same plan in step",
  });
  a.close();
  b.close();
});

test("a receive times out, and closing a channel fails the receives waiting on it", async (t) => {
  const [a, b] = pair(100);
  await t.throwsAsync(b.receive("alice", { round: 0, where: "plan round 0", nodes: ["n1"] }), {
    message: "party bob timed out after 100 ms waiting for alice's message of round 0 (plan round 0; nodes n1)",
  });
  const [c, d] = pair(5000);
  const waiting = d.receive("alice", { round: 0, where: "plan round 0", nodes: ["n1"] });
  d.close();
  await t.throwsAsync(waiting, { message: "party bob closed its connection to alice" });
  a.close();
  b.close();
  c.close();
});

test("a peer that goes away fails the receive at once", async (t) => {
  const [a, b] = pair(60_000);
  const waiting = b.receive("alice", { round: 0, where: "plan round 0", nodes: ["n1"] });
  a.close();
  await t.throwsAsync(waiting, { message: "party bob lost the connection to alice" });
  b.close();
});
