// Preloaded (`node --import`) into the identity host that bench/events.mjs starts, and into nothing else.
// No context subscribes to any integration event yet, so without a subscriber the relay only marks events
// as fanned out and nothing crosses a process. This adds one subscription for a bench-only event,
// BENCH_PROBE_EVENT → [BENCH_PROBE_SUBSCRIBER], to the registry the relay reads (EVENT_SUBSCRIPTIONS, the
// same module instance the app imports from dist/), before the app starts. The subscriber is not hosted in
// that process, so the relay takes its production path for a remote subscriber: one outbox_delivery row
// and a job in the BullMQ queue `ie.<subscriber>`, which the bench consumes. The app's code and its real
// subscriptions are untouched.
import { EVENT_SUBSCRIPTIONS } from '../../dist/libs/contracts/src/subscriptions.js';

const event = process.env.BENCH_PROBE_EVENT;
const subscriber = process.env.BENCH_PROBE_SUBSCRIBER;

if (event && subscriber) {
  if (Object.isFrozen(EVENT_SUBSCRIPTIONS) || event in EVENT_SUBSCRIPTIONS) {
    process.stderr.write(
      `event-subscriber-shim: cannot add ${event} → ${subscriber} (registry frozen, or the event already exists)\n`,
    );
    process.exit(1);
  }
  EVENT_SUBSCRIPTIONS[event] = [subscriber];
}
