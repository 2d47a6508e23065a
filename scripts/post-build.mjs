// After tsc: make the compiled `mpc` entry executable so `npx mpc` works right after `npm ci`.
import { chmodSync, existsSync } from "node:fs";
const bin = new URL("../dist/bin/mpc.js", import.meta.url);
if (existsSync(bin)) chmodSync(bin, 0o755);
