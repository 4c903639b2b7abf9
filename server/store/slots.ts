import type {SlotBudget, SlotReservation} from './store.js';

/**
 * One step of the generic cell rate algorithm (GCRA), the token bucket kept as one number: the
 * theoretical arrival time `tat` of the next slot. A slot may go `burst - 1` intervals before
 * it, so after a quiet spell `burst` go at once and then one every `intervalMs`; each reserved
 * slot moves `tat` one interval on. The Redis store runs the same arithmetic in Lua
 * (`redis-store.ts`), on Redis' clock.
 */
export function reserveGcraSlot(
  tat: number | undefined,
  now: number,
  {intervalMs, burst}: SlotBudget,
  maxWaitMs: number,
): {reservation: SlotReservation; nextTat: number} {
  const from = Math.max(tat ?? now, now);
  const waitMs = Math.max(0, from - (burst - 1) * intervalMs - now);
  return {reservation: {granted: waitMs <= maxWaitMs, waitMs}, nextTat: from + intervalMs};
}
