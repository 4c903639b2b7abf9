// What was typed into „Informationen aktualisieren" when the session ended, kept until the next
// login. In localStorage because that login may happen in another tab (the mailed link opens
// one); per customer, for a day, and only the form's fields: never a token, never the e-mail.
//
// The part the portal's entry needs (whether a draft waits, so the dashboard opens the billing
// form first); reading, checking and sweeping drafts is billing-draft.ts, in the dashboard's chunk.

export const draftKeyPrefix = 'conroo-billing-draft:';
/** A draft older than this is ignored and removed. */
export const draftLifetimeMs = 24 * 60 * 60 * 1000;

export interface StoredDraft<Values> {
  version: 1;
  /** When it was saved (ms since the epoch). */
  savedAt: number;
  values: Values;
}

export function draftKey(customerId: string): string {
  return `${draftKeyPrefix}${customerId}`;
}

export function draftStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    // Storage disabled by the browser: no drafts then.
    return null;
  }
}

/** The stored draft if it is of this version and younger than a day (its values unchecked). */
export function freshDraft(customerId: string, now = Date.now()): StoredDraft<unknown> | null {
  try {
    const draft = JSON.parse(draftStorage()?.getItem(draftKey(customerId)) ?? 'null') as Partial<
      StoredDraft<unknown>
    > | null;
    const age = now - Number(draft?.savedAt);
    return draft?.version === 1 && age >= 0 && age < draftLifetimeMs
      ? (draft as StoredDraft<unknown>)
      : null;
  } catch {
    // Unreadable storage or not ours: none.
    return null;
  }
}

/**
 * Whether a draft of the customer waits. A fresh one whose fields turn out damaged opens the
 * billing form, which then finds none (loadDraft) and removes it.
 */
export function hasDraft(customerId: string, now = Date.now()): boolean {
  return freshDraft(customerId, now) !== null;
}
