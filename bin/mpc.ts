#!/usr/bin/env node
// The `mpc` command: thin, it only dispatches to the compiler and the runtime.
console.log("mpc");
