import type {AddressValues, BillingFormValues} from './billing-details-model.js';

// What was typed into „Informationen aktualisieren" when the session ended, kept until the next
// login. In localStorage because that login may happen in another tab (the mailed link opens
// one); per customer, for a day, and only the form's fields: never a token, never the e-mail.

const keyPrefix = 'conroo-billing-draft:';
/** A draft older than this is ignored and removed. */
export const draftLifetimeMs = 24 * 60 * 60 * 1000;

interface StoredDraft {
  version: 1;
  /** When it was saved (ms since the epoch). */
  savedAt: number;
  values: BillingFormValues;
}

export function draftKey(customerId: string): string {
  return `${keyPrefix}${customerId}`;
}

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    // Storage disabled by the browser: no drafts then.
    return null;
  }
}

const isText = (value: unknown): value is string => typeof value === 'string';

function isAddress(value: unknown): value is AddressValues {
  const a = value as AddressValues;
  return (
    typeof a === 'object' &&
    a !== null &&
    [a.line1, a.line2, a.postalCode, a.city, a.country, a.state].every(isText)
  );
}

/** Only a well-formed draft of this version is used; anything else counts as none. */
function isValues(value: unknown): value is BillingFormValues {
  const v = value as BillingFormValues;
  return (
    typeof v === 'object' &&
    v !== null &&
    [v.name, v.phone, v.taxId].every(isText) &&
    typeof v.shippingSameAsBilling === 'boolean' &&
    isAddress(v.address) &&
    typeof v.shipping === 'object' &&
    v.shipping !== null &&
    isText(v.shipping.name) &&
    isText(v.shipping.phone) &&
    isAddress(v.shipping.address)
  );
}

export function saveDraft(customerId: string, values: BillingFormValues, now = Date.now()) {
  const draft: StoredDraft = {version: 1, savedAt: now, values};
  try {
    storage()?.setItem(draftKey(customerId), JSON.stringify(draft));
  } catch {
    // Full or disabled: the form cannot be kept, which the login notice does not then claim.
  }
}

/** The customer's draft if it is younger than a day; an older or broken one is removed. */
export function loadDraft(
  customerId: string,
  now = Date.now(),
): {savedAt: number; values: BillingFormValues} | null {
  const store = storage();
  let raw: string | null = null;
  try {
    raw = store?.getItem(draftKey(customerId)) ?? null;
  } catch {
    return null;
  }
  if (raw === null) {
    return null;
  }
  try {
    const draft = JSON.parse(raw) as Partial<StoredDraft>;
    const age = now - Number(draft.savedAt);
    if (draft.version === 1 && age >= 0 && age < draftLifetimeMs && isValues(draft.values)) {
      return {savedAt: draft.savedAt!, values: draft.values};
    }
  } catch {
    // Not ours or damaged: removed below.
  }
  removeDraft(customerId);
  return null;
}

export function hasDraft(customerId: string, now = Date.now()): boolean {
  return loadDraft(customerId, now) !== null;
}

export function removeDraft(customerId: string) {
  try {
    storage()?.removeItem(draftKey(customerId));
  } catch {
    // Nothing to remove.
  }
}

/** Removes every expired draft in this browser, of whichever customer. */
export function removeExpiredDrafts(now = Date.now()) {
  const store = storage();
  if (!store) {
    return;
  }
  try {
    const keys = Array.from({length: store.length}, (_, i) => store.key(i)).filter(
      (key): key is string => key?.startsWith(keyPrefix) ?? false,
    );
    for (const key of keys) {
      loadDraft(key.slice(keyPrefix.length), now);
    }
  } catch {
    // Storage went away meanwhile.
  }
}
