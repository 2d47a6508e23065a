// The dealer's API: the offline phase, the last party's inbox, and the share derivation both
// sides use.
export { runDealer, dealerSchedule, DealerInbox, correctionCount, DEALER_END, FRAME_BYTES, type DealerStats } from "./dealer.js";
export { dealerLabel, itemLayout, makeCorrections, partyShares, correlate, outputStream } from "./items.js";
