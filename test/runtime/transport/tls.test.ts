// The TLS transport in one process: certificates from the pure-TS X.509 encoder verify as a
// chain and carry the endpoint's name; frames survive any cut of the byte stream and bad ones
// are refused before allocation; a whole deployment (dealer and parties, each its own mesh of
// TLS connections) computes what the in-process transport computes, with the same message
// and byte counts and the compiler's payload bytes per pair; wrong CAs, names, plans, ports,
// keys and malformed frames fail with exact messages; --latency shaping delays every round.

import test from "ava";
import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer as createNetServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer as createTlsServer, type TLSSocket } from "node:tls";
import { X509Certificate } from "node:crypto";
import { planCost } from "../../../compiler/cost/cost.js";
import { compileSource } from "../../../compiler/pipeline.js";
import type { ClearTensor } from "../../../runtime/clear/index.js";
import { runNetworkDealer } from "../../../runtime/executor/dealer-process.js";
import { runInThread } from "../../../runtime/executor/index.js";
import { runNetworkParty } from "../../../runtime/executor/party-process.js";
import type { Plan } from "../../../runtime/plan/plan.js";
import { type DeploymentConfig, loadConfig, loadCredentials } from "../../../runtime/transport/config.js";
import { encodeControl, encodeData, FrameKind, FrameReader } from "../../../runtime/transport/framing.js";
import { type Hello, refusal, WIRE_VERSION } from "../../../runtime/transport/handshake.js";
import { issueDeployment, issueSelfSigned } from "../../../runtime/transport/keys.js";
import { connectMesh } from "../../../runtime/transport/tls.js";
import { certFingerprint } from "../../../runtime/transport/x509.js";

const tmp = (): string => mkdtempSync(join(tmpdir(), "mpc-tls-"));

async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: n }, () => new Promise<ReturnType<typeof createNetServer>>((res) => {
      const s = createNetServer();
      s.listen(0, "127.0.0.1", () => res(s));
    })),
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

async function deployment(parties: string[], dir = tmp()): Promise<DeploymentConfig> {
  const ports = await freePorts(parties.length + 1);
  const names = [...parties, "dealer"];
  const r = issueDeployment({ dir, parties, ports: Object.fromEntries(names.map((n, i) => [n, ports[i]!])) });
  return loadConfig(r.configPath);
}

function compiled(source: string): Plan {
  const r = compileSource(source, "test.mpc");
  if (!r.plan) throw new Error(r.diagnostics.map((d) => d.message).join("\n"));
  return r.plan;
}

const DOT = `program dot
party alice, bob
input alice.u : fixed[50]
input bob.v : fixed[50]
reveal u @ v as dot to all`;

const MUL3 = `program mul3
party alice, bob, carol
input alice.x : fixed[6]
input bob.y : fixed[6]
input carol.z : fixed[6]
reveal x * y + z as r to alice, carol`;

const vec = (n: number, f: (i: number) => number): ClearTensor => ({ data: Float64Array.from({ length: n }, (_, i) => f(i)), shape: [n] });

/** Run a plan's dealer and parties in this process, each over its own TLS mesh. */
async function runTls(plan: Plan, inputs: Map<string, ClearTensor>, config: DeploymentConfig, extra: { latencyMs?: number; bandwidthMbit?: number } = {}, offlineBudget?: number) {
  const dealer = runNetworkDealer({ plan, config, connectTimeoutMs: 20_000, ...extra });
  const parties = plan.parties.map((p) =>
    runNetworkParty({
      plan,
      party: p,
      config,
      connectTimeoutMs: 20_000,
      ...extra,
      ...(offlineBudget !== undefined ? { offlineBudget } : {}),
      inputs: new Map(plan.inputs.filter((i) => i.party === p).map((i) => [i.name, inputs.get(`${p}.${i.name}`)!])),
    }),
  );
  const [d, ...rs] = await Promise.all([dealer, ...parties]);
  return { dealer: d!, parties: new Map(plan.parties.map((p, i) => [p, rs[i]!])) };
}

// ---- certificates ----

test("mpc keys material: CA and leaf certificates verify, name the endpoint, and keys are 0600", (t) => {
  const dir = tmp();
  const r = issueDeployment({ dir, parties: ["alice", "bob"], basePort: 7600 });
  const ca = new X509Certificate(readText(r.caCert));
  t.true(ca.ca);
  t.true(ca.verify(ca.publicKey)); // self-signed
  for (const name of ["alice", "bob", "dealer"]) {
    const leaf = new X509Certificate(readText(join(dir, `${name}.crt`)));
    t.false(leaf.ca);
    t.true(leaf.checkIssued(ca));
    t.true(leaf.verify(ca.publicKey));
    t.regex(leaf.subject, new RegExp(`^CN=${name}$`, "m"));
    t.is(leaf.subjectAltName, `DNS:${name}`);
    t.is(leaf.keyUsage?.join(","), "1.3.6.1.5.5.7.3.1,1.3.6.1.5.5.7.3.2"); // serverAuth, clientAuth
    t.is(certFingerprint(leaf.raw), r.fingerprints.get(name)!);
    t.is(statMode(join(dir, `${name}.key`)), 0o600);
  }
  const cfg = JSON.parse(readText(r.configPath));
  t.deepEqual(Object.keys(cfg.parties), ["alice", "bob"]);
  t.deepEqual([cfg.parties.alice.port, cfg.parties.bob.port, cfg.dealer.port], [7600, 7601, 7602]);
  t.is(cfg.ca, "ca.crt");
  // the CA key was not kept
  t.throws(() => readText(join(dir, "ca.key")));
  t.throws(() => issueDeployment({ dir, parties: ["alice", "bob"] }), { message: `${join(dir, "ca.crt")} already exists; choose another --out folder, or pass --force to replace it` });
});

function readText(p: string): string {
  return readFileSync(p, "utf8");
}
function statMode(p: string): number {
  return statSync(p).mode & 0o777;
}

// ---- framing ----

test("frames survive any cut of the stream; parts come back as their own buffers", (t) => {
  const p1 = new BigUint64Array([1n, 2n ** 64n - 1n, 3n]).buffer;
  const p2 = new Uint8Array([9, 8, 7]).buffer;
  const bytes = Buffer.concat([
    ...encodeData({ round: 4, where: "plan round 2", nodes: ["n1", "n2"] }, [p1.slice(0), p2.slice(0)]),
    encodeControl(FrameKind.ready, {}),
    ...encodeData({ round: 5, where: "w", nodes: [] }, []),
  ]);
  for (const cut of [1, 3, 7, 16, 17, 40, bytes.length]) {
    const r = new FrameReader();
    const frames = [];
    for (let i = 0; i < bytes.length; i += cut) frames.push(...r.push(bytes.subarray(i, i + cut)));
    t.is(frames.length, 3);
    const f = frames[0]!;
    if (f.kind !== FrameKind.data) return t.fail();
    t.deepEqual(f.tag, { round: 4, where: "plan round 2", nodes: ["n1", "n2"] });
    t.deepEqual([...new BigUint64Array(f.payload[0]!)], [1n, 2n ** 64n - 1n, 3n]);
    t.deepEqual([...new Uint8Array(f.payload[1]!)], [9, 8, 7]);
    t.is(frames[1]!.kind, FrameKind.ready);
    t.false(r.midFrame);
  }
});

test("malformed and oversized frames are refused before allocation", (t) => {
  const prefix = (kind: number, h: number, hi: number, lo: number): Buffer => {
    const b = Buffer.alloc(16);
    b.writeUInt8(kind, 0);
    b.writeUInt32BE(h, 4);
    b.writeUInt32BE(hi, 8);
    b.writeUInt32BE(lo, 12);
    return b;
  };
  t.throws(() => new FrameReader().push(prefix(99, 2, 0, 0)), { message: "a frame of unknown kind 99" });
  t.throws(() => new FrameReader(1 << 20).push(prefix(1, 10, 0, 1 << 21)), { message: `a frame of ${(1 << 21) + 10} bytes, over the limit of ${1 << 20} bytes` });
  t.throws(() => new FrameReader().push(prefix(1, 10, 0xffff, 0)), { message: `a frame of ${0xffff * 2 ** 32 + 10} bytes, over the limit of ${2 ** 30} bytes` });
  t.throws(() => new FrameReader().push(Buffer.concat([prefix(1, 5, 0, 0), Buffer.from("{oops")])), { message: "a frame whose header is not JSON" });
  const h = Buffer.from(JSON.stringify({ round: 1, where: "w", nodes: ["a"], parts: [8, 8] }));
  t.throws(() => new FrameReader().push(Buffer.concat([prefix(1, h.length, 0, 8), h])), { message: "a data frame whose parts do not add up to its payload length" });
  const bad = Buffer.from(JSON.stringify({ round: "1", where: "w", nodes: [], parts: [] }));
  t.throws(() => new FrameReader().push(Buffer.concat([prefix(1, bad.length, 0, 0), bad])), { message: "a data frame with a malformed header" });
});

// ---- handshake ----

test("hello refusals name both sides' plans and versions", (t) => {
  const me: Hello = { party: "alice", program: "dot", planHash: "a".repeat(64), mpcVersion: "0.1.0", wire: WIRE_VERSION };
  const peer: Hello = { ...me, party: "bob" };
  t.is(refusal(me, peer, "bob", ["bob"]), undefined);
  t.is(
    refusal(me, { ...peer, planHash: "b".repeat(64) }, "bob", ["bob"]),
    `plan mismatch: alice runs program dot with plan ${"a".repeat(64)}, bob runs program dot with plan ${"b".repeat(64)}; every party must compile the same program with the same mpc version`,
  );
  t.is(refusal(me, { ...peer, mpcVersion: "0.2.0" }, "bob", ["bob"]), "version mismatch: alice runs mpc 0.1.0, bob runs mpc 0.2.0; every party must run the same mpc version");
  t.is(refusal(me, { ...peer, wire: WIRE_VERSION + 1 }, "bob", ["bob"]), `wire protocol mismatch: alice speaks version ${WIRE_VERSION}, bob speaks version ${WIRE_VERSION + 1}`);
  t.is(refusal(me, { ...peer, party: "carol" }, "bob", ["bob"]), "the peer's certificate is issued to bob, but it introduced itself as carol");
  t.is(refusal(me, { ...peer, party: "carol" }, "carol", ["bob"]), "expected bob on this connection, but carol answered");
});

// ---- whole runs over TLS ----

test("dot over TLS: same result as in process, same counts, payload bytes equal the compiler's cost", async (t) => {
  const plan = compiled(DOT);
  const inputs = new Map([["alice.u", vec(50, (i) => (i % 7) - 3.25)], ["bob.v", vec(50, (i) => 0.5 * (i % 5) - 1)]]);
  const want = inputs.get("alice.u")!.data.reduce((s, x, i) => s + x * inputs.get("bob.v")!.data[i]!, 0);
  const config = await deployment(plan.parties);
  const [net, local] = await Promise.all([runTls(plan, inputs, config), runInThread(plan, inputs)]);
  for (const p of plan.parties) {
    const got = net.parties.get(p)!.outputs.get("dot")!.data[0]!;
    t.true(Math.abs(got - want) < 1e-3, `${p}: ${got} vs ${want}`);
    // truncation of shares may differ in the last fixed-point bit between runs
    t.true(Math.abs(got - local.outputs.get(p)!.get("dot")!.data[0]!) <= 2 ** -14);
  }
  const cost = planCost(plan);
  for (const p of plan.parties) {
    const s = net.parties.get(p)!.stats;
    t.is(s.rounds, plan.rounds);
    const sent = s.sent.map((x) => ({ from: x.from, to: x.to, messages: x.messages, bytes: x.bytes }));
    t.deepEqual(sent, local.stats.perPair.filter((x) => x.from === p));
    for (const link of s.links.filter((l) => l.peer !== "dealer")) {
      const c = cost.total.pairs.find((x) => x.from === p && x.to === link.peer)!;
      t.is(link.payloadBytes, c.bytes);
      t.is(s.sent.find((x) => x.to === link.peer)!.messages, c.messages);
    }
  }
  t.is(net.dealer.items, local.stats.dealerItems);
  t.is(net.dealer.bytes, local.stats.dealerBytes);
});

test("three parties with pinned self-signed certificates (no CA): results and per-round counts as in process", async (t) => {
  const plan = compiled(MUL3);
  const dir = tmp();
  const names = [...plan.parties, "dealer"];
  const ports = await freePorts(names.length);
  const entries = names.map((n, i) => {
    const k = issueSelfSigned(dir, n);
    return [n, { host: "127.0.0.1", port: ports[i], cert: `${n}.crt`, key: `${n}.key`, fingerprint: k.fingerprint }] as const;
  });
  writeFileSync(
    join(dir, "parties.json"),
    JSON.stringify({ format: "mpc-parties", version: 1, parties: Object.fromEntries(entries.slice(0, 3)), dealer: entries[3]![1] }),
  );
  const config = loadConfig(join(dir, "parties.json"));
  const inputs = new Map([["alice.x", vec(6, (i) => i - 2.5)], ["bob.y", vec(6, (i) => 1.5 - i / 4)], ["carol.z", vec(6, (i) => i * i)]]);
  const [net, local] = await Promise.all([runTls(plan, inputs, config), runInThread(plan, inputs)]);
  const x = inputs.get("alice.x")!.data;
  const y = inputs.get("bob.y")!.data;
  const z = inputs.get("carol.z")!.data;
  for (const p of ["alice", "carol"]) {
    const got = net.parties.get(p)!.outputs.get("r")!.data;
    got.forEach((v, i) => t.true(Math.abs(v - (x[i]! * y[i]! + z[i]!)) < 1e-3));
  }
  t.is(net.parties.get("bob")!.outputs.size, 0);
  const perRound = new Map<number, { messages: number; bytes: number }>();
  for (const r of net.parties.values()) {
    for (const q of r.stats.perRound) {
      const e = perRound.get(q.round) ?? { messages: 0, bytes: 0 };
      perRound.set(q.round, { messages: e.messages + q.messages, bytes: e.bytes + q.bytes });
    }
  }
  t.deepEqual([...perRound].sort((a, b) => a[0] - b[0]).map(([round, v]) => ({ round, ...v })), local.stats.perRound);
});

const MULINT = `program mulint
party alice, bob, carol
input alice.x : int[6]
input bob.y : int[6]
var z = x
for i in 0..3 {
  z = z * y + x
}
reveal z to all`;

test("the last party derives its randomness before draining the dealer's stream: exact results at every offline budget", async (t) => {
  // integer products take no truncation, so any mismatch between an item and its corrections
  // (prepared before they arrived, or derived on the fly) would show as a wrong value
  const plan = compiled(MULINT);
  const inputs = new Map([["alice.x", vec(6, (i) => i - 2)], ["bob.y", vec(6, (i) => 3 - i)]]);
  const x = Array.from(inputs.get("alice.x")!.data, BigInt);
  const y = Array.from(inputs.get("bob.y")!.data, BigInt);
  let z = x;
  for (let i = 0; i < 3; i++) z = z.map((v, k) => v * y[k]! + x[k]!);
  const want = z.map(Number);
  // 0: everything on the fly; 200 B: the first of three triples prepared; default: all
  for (const budget of [0, 200, undefined]) {
    const net = await runTls(plan, inputs, await deployment(plan.parties), {}, budget);
    for (const p of plan.parties) t.deepEqual(Array.from(net.parties.get(p)!.outputs.get("z")!.data), want, `${p}, budget ${budget ?? "default"}`);
    t.is(net.dealer.items, 3);
  }
});

test("a party that fails mid-run fails the dealer too, with the party's reason", async (t) => {
  const plan = compiled(DOT);
  const u = vec(49, (i) => i); // the program declares 50: alice fails when she reads it
  const config = await deployment(plan.parties);
  const opts = { plan, config, connectTimeoutMs: 20_000 };
  const dealer = runNetworkDealer(opts);
  const alice = runNetworkParty({ ...opts, party: "alice", inputs: new Map([["u", u]]) });
  const bob = runNetworkParty({ ...opts, party: "bob", inputs: new Map([["v", vec(50, () => 1)]]) });
  await t.throwsAsync(alice, { message: "input alice.u has shape [49], but the program declares [50]" });
  const why = "an error in alice's own data (reported at alice)";
  await t.throwsAsync(bob, { message: `party bob stopped because alice failed: ${why}` });
  await t.throwsAsync(dealer, { message: `the dealer stopped because alice failed: ${why}` });
});

test("--latency shaping: every round waits at least the one-way latency", async (t) => {
  const plan = compiled(DOT);
  const inputs = new Map([["alice.u", vec(50, () => 1)], ["bob.v", vec(50, () => 2)]]);
  const config = await deployment(plan.parties);
  const net = await runTls(plan, inputs, config, { latencyMs: 60 });
  t.true(plan.rounds >= 2);
  for (const r of net.parties.values()) {
    t.is(r.outputs.get("dot")!.data[0], 100);
    t.true(r.stats.onlineMs >= plan.rounds * 60 - 5, `online ${r.stats.onlineMs} ms for ${plan.rounds} rounds`);
  }
});

test("--bandwidth shaping: a link carries at most its rate", async (t) => {
  const plan = compiled(`program big
party alice, bob
input alice.x : fixed[20000]
input bob.y : fixed[20000]
reveal sum(x * y) as s to all`);
  const inputs = new Map([["alice.x", vec(20000, () => 0.5)], ["bob.y", vec(20000, () => 2)]]);
  const config = await deployment(plan.parties);
  const mbit = 16; // 2000 bytes per ms
  const net = await runTls(plan, inputs, config, { bandwidthMbit: mbit });
  for (const r of net.parties.values()) {
    t.is(r.outputs.get("s")!.data[0], 20000);
    const busiest = Math.max(...r.stats.links.filter((l) => l.peer !== "dealer").map((l) => l.frameBytes));
    t.true(busiest > 160_000);
    // the frames of the online phase alone take bytes / rate on the wire
    t.true(r.stats.onlineMs >= (busiest * 8) / (mbit * 1000) - 5, `online ${r.stats.onlineMs} ms for ${busiest} bytes at ${mbit} Mbit/s`);
  }
});

// ---- refusals and faults ----

const hello = (party: string, planHash = "h".repeat(64)): Hello => ({ party, program: "p", planHash, mpcVersion: "0.1.0", wire: WIRE_VERSION });

test("a peer whose certificate is from another CA is refused, naming it", async (t) => {
  const a = await deployment(["alice", "bob"]);
  const b = await deployment(["alice", "bob"]);
  // bob runs with another deployment's CA and certificate, on the port alice expects
  const bPorts = { ...b, parties: new Map(b.parties) };
  bPorts.parties.set("bob", { ...b.parties.get("bob")!, port: a.parties.get("bob")!.port });
  const alice = connectMesh({ config: a, credentials: loadCredentials(a, "alice"), peers: ["bob"], hello: hello("alice"), connectTimeoutMs: 3_000 });
  const bob = connectMesh({ config: bPorts, credentials: loadCredentials(b, "bob"), peers: ["alice"], hello: hello("bob"), connectTimeoutMs: 3_000 });
  const port = a.parties.get("bob")!.port;
  await t.throwsAsync(alice, { message: `alice refused the connection with bob at 127.0.0.1:${port}: its certificate is not issued by this deployment's CA (SELF_SIGNED_CERT_IN_CHAIN)` });
  const e = await t.throwsAsync(bob);
  t.regex(e!.message, /^bob could not reach every peer within 3 s:\n {2}alice did not connect to bob/);
});

test("a different plan hash is refused at both ends with both hashes", async (t) => {
  const cfg = await deployment(["alice", "bob"]);
  const [ha, hb] = ["1".repeat(64), "2".repeat(64)];
  const alice = connectMesh({ config: cfg, credentials: loadCredentials(cfg, "alice"), peers: ["bob"], hello: hello("alice", ha), connectTimeoutMs: 5_000 });
  const bob = connectMesh({ config: cfg, credentials: loadCredentials(cfg, "bob"), peers: ["alice"], hello: hello("bob", hb), connectTimeoutMs: 5_000 });
  const tail = "every party must compile the same program with the same mpc version";
  await t.throwsAsync(alice, { message: `alice refused the connection with bob: plan mismatch: alice runs program p with plan ${ha}, bob runs program p with plan ${hb}; ${tail}` });
  await t.throwsAsync(bob, { message: `bob refused the connection with alice: plan mismatch: bob runs program p with plan ${hb}, alice runs program p with plan ${ha}; ${tail}` });
});

test("bad configuration fails before anything is sent", async (t) => {
  const dir = tmp();
  const cfg = await deployment(["alice", "bob"], dir);
  t.throws(() => loadCredentials(cfg, "carol"), { message: `${cfg.file} has no endpoint carol (its parties: alice, bob; and the dealer)` });
  chmodSync(join(dir, "bob.key"), 0o644);
  t.throws(() => loadCredentials(cfg, "bob"), { message: `bob's private key ${join(dir, "bob.key")} can be read by other users (mode 0644); run: chmod 600 ${join(dir, "bob.key")}` });
  const dirKey = { ...cfg, parties: new Map(cfg.parties) };
  dirKey.parties.set("bob", { ...cfg.parties.get("bob")!, key: dir });
  t.throws(() => loadCredentials(dirKey, "bob"), { message: `cannot read bob's private key ${dir}: it is a directory` });
  const noCert = { ...cfg, parties: new Map(cfg.parties) };
  noCert.parties.set("alice", { ...cfg.parties.get("alice")!, cert: join(dir, "missing.crt") });
  t.throws(() => loadCredentials(noCert, "alice"), { message: `cannot read alice's certificate ${join(dir, "missing.crt")}: file not found` });
  const swapped = { ...cfg, parties: new Map(cfg.parties) };
  swapped.parties.set("alice", { ...cfg.parties.get("alice")!, cert: join(dir, "dealer.crt"), fingerprint: certFingerprint(readText(join(dir, "dealer.crt"))) });
  t.throws(() => loadCredentials(swapped, "alice"), { message: `alice's private key ${join(dir, "alice.key")} does not belong to its certificate ${join(dir, "dealer.crt")}` });
  // the port is taken by someone else
  const port = cfg.parties.get("bob")!.port;
  const squatter = createNetServer();
  await new Promise<void>((r) => squatter.listen(port, "127.0.0.1", () => r()));
  try {
    chmodSync(join(dir, "bob.key"), 0o600);
    await t.throwsAsync(connectMesh({ config: cfg, credentials: loadCredentials(cfg, "bob"), peers: ["alice"], hello: hello("bob"), connectTimeoutMs: 2_000 }), {
      message: `bob cannot listen on 127.0.0.1:${port}: the port is in use (is another run still going, or another program using it?)`,
    });
  } finally {
    squatter.close();
  }
});

/** A peer that authenticates properly, says hello, then sends `bytes` (and keeps quiet). */
async function rogueBob(cfg: DeploymentConfig, bytes: Buffer): Promise<{ close: () => void }> {
  const creds = loadCredentials(cfg, "bob");
  const server = createTlsServer({ key: creds.keyPem, cert: creds.certPem, ca: creds.ca, requestCert: true, rejectUnauthorized: true, minVersion: "TLSv1.3" });
  const sockets: TLSSocket[] = [];
  server.on("secureConnection", (s: TLSSocket) => {
    sockets.push(s);
    s.on("error", () => undefined);
    s.write(encodeControl(FrameKind.hello, { ...hello("bob") }));
    s.once("data", () => s.write(bytes));
  });
  await new Promise<void>((r) => server.listen(cfg.parties.get("bob")!.port, "127.0.0.1", () => r()));
  return {
    close: () => {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

test("a malformed or oversized frame from a peer fails the receive, naming the peer and the round", async (t) => {
  const cfg = await deployment(["alice", "bob"]);
  const tag = { round: 0, where: "plan round 0", nodes: ["n7"] };
  const garbage = Buffer.alloc(16);
  garbage.writeUInt8(1, 0);
  garbage.writeUInt32BE(8, 4);
  garbage.writeUInt32BE(4096, 8); // 16 TiB of payload
  const rogue = await rogueBob(cfg, garbage);
  try {
    const alice = await connectMesh({ config: cfg, credentials: loadCredentials(cfg, "alice"), peers: ["bob"], hello: hello("alice"), connectTimeoutMs: 5_000, receiveTimeoutMs: 5_000 });
    await t.throwsAsync(alice.receive("bob", tag), {
      message: `party alice received a malformed frame from bob while waiting for round 0 (plan round 0; nodes n7): a frame of ${4096 * 2 ** 32 + 8} bytes, over the limit of ${2 ** 30} bytes`,
    });
    await t.throwsAsync(alice.failed);
    alice.close();
  } finally {
    rogue.close();
  }
});

test("a frame for another round, a stalled peer and a lost peer: errors name the peer and the round", async (t) => {
  const cfg = await deployment(["alice", "bob"]);
  const wrong = Buffer.concat(encodeData({ round: 3, where: "plan round 3", nodes: ["n9"] }, [new ArrayBuffer(8)]));
  const rogue = await rogueBob(cfg, wrong);
  try {
    const alice = await connectMesh({ config: cfg, credentials: loadCredentials(cfg, "alice"), peers: ["bob"], hello: hello("alice"), connectTimeoutMs: 5_000, receiveTimeoutMs: 2_000 });
    await t.throwsAsync(alice.receive("bob", { round: 0, where: "plan round 0", nodes: ["n1"] }), {
      message:
        "party alice expected round 0 (plan round 0; nodes n1) from bob, but received round 3 (plan round 3; nodes n9): the parties are not executing the same plan in step",
    });
    await t.throwsAsync(alice.receive("bob", { round: 1, where: "plan round 1", nodes: ["n2"] }), {
      message: "party alice timed out after 2000 ms waiting for bob's message of round 1 (plan round 1; nodes n2)",
    });
    const pending = alice.receive("bob", { round: 1, where: "plan round 1", nodes: ["n2"] });
    rogue.close();
    await t.throwsAsync(pending, { message: "party alice lost the connection to bob while waiting for round 1 (plan round 1; nodes n2)" });
    alice.close();
  } finally {
    rogue.close();
  }
});

test("a peer that fails while the others are still connecting ends the wait at once, naming it", async (t) => {
  const cfg = await deployment(["alice", "bob", "carol"]);
  const mesh = (self: string, peers: string[]) => connectMesh({ config: cfg, credentials: loadCredentials(cfg, self), peers, hello: hello(self), connectTimeoutMs: 30_000 });
  // alice waits for bob and carol; carol never comes
  const alice = mesh("alice", ["bob", "carol"]);
  const bob = await mesh("bob", ["alice"]);
  const t0 = performance.now();
  await bob.abort("bob's data is missing");
  await t.throwsAsync(alice, { message: "party alice stopped because bob failed: bob's data is missing" });
  t.true(performance.now() - t0 < 10_000, "well before the 30 s connect timeout");
});
