// The dealer as its own OS process (or host), over TLS to every compute party: what
// `mpc run FILE --dealer --config parties.json` runs. It reuses the dealer's offline phase
// (runDealer) unchanged: the seed it shares with each party comes from the TLS key exchange of
// their connection, and the last party's correction shares go over that party's connection.
// After its items it says goodbye but stays connected until every party has finished: a party
// that fails (or is lost) fails the dealer too, so its exit status is the run's.
// The dealer reads only the plan and the deployment file: no input, no share of one.

import { runDealer, type DealerStats } from "../dealer/index.js";
import type { Plan } from "../plan/plan.js";
import { checkParties, DEALER, loadCredentials } from "../transport/config.js";
import { connectMesh, type LinkStats } from "../transport/tls.js";
import { checkDealerModule, moduleSchedule } from "./modules.js";
import type { DealerModule } from "./party-api.js";
import { helloFor, meshOptions, type NetworkOptions } from "./party-process.js";

export interface NetworkDealerOptions extends NetworkOptions {
  plan: Plan;
  /** The generated dealer module (compiler/codegen) to take the items from. */
  module?: DealerModule;
}

export interface NetworkDealerResult extends DealerStats {
  connectMs: number;
  /** Connected to every party having finished its run. */
  runMs: number;
  links: LinkStats[];
}

export async function runNetworkDealer(o: NetworkDealerOptions): Promise<NetworkDealerResult> {
  const { plan, config } = o;
  const t0 = performance.now();
  checkParties(config, plan.program, plan.parties);
  if (o.module) checkDealerModule(o.module, plan);
  const credentials = loadCredentials(config, DEALER);
  const transport = await connectMesh({ config, credentials, peers: [...plan.parties], hello: helloFor(plan, DEALER), ...meshOptions(o) });
  const connectMs = performance.now() - t0;
  try {
    const stats = runDealer(
      plan,
      plan.parties.map((p) => transport.sharedSeed(p)),
      transport,
      o.module ? moduleSchedule(o.module) : undefined,
    );
    o.log?.(`dealer: sent ${stats.items} items`);
    // the parties need nothing more from the dealer (its loss is no longer their failure), but
    // it stays connected until each has finished, so that its exit status is the run's
    transport.bye();
    await transport.peersFinished(plan.parties);
    const runMs = performance.now() - t0 - connectMs;
    await transport.finish();
    return { ...stats, connectMs, runMs, links: transport.linkStats() };
  } catch (e) {
    await transport.abort(e instanceof Error ? e.message : String(e));
    throw e;
  }
}
