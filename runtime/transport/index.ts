// Transport layer API (see ./transport.ts for the interface).
export {
  type Frame,
  type FrameTag,
  type PairStats,
  type RoundStats,
  type Transport,
  type TransportStats,
  TransportError,
  checkTag,
  describeTag,
  tagBytes,
} from "./transport.js";
export { PortTransport, DEFAULT_TIMEOUT_MS } from "./in-process.js";
