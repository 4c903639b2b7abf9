import type {AddressValues, BillingFormValues} from './billing-details-model.js';
import {
  draftKey,
  draftKeyPrefix,
  draftStorage as storage,
  freshDraft,
  type StoredDraft,
} from './billing-draft-key.js';

// Reading, checking and sweeping the drafts of „Informationen aktualisieren"; what they are and
// whether one waits is billing-draft-key.ts (in the portal's entry).

export {draftKey, draftLifetimeMs, hasDraft} from './billing-draft-key.js';

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
function isValues(value: unknown): value is DraftValues {
  const v = value as DraftValues;
  return (
    typeof v === 'object' &&
    v !== null &&
    [v.name, v.phone, v.taxId].every(isText) &&
    (v.reference === undefined || isText(v.reference)) &&
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
  const draft: StoredDraft<BillingFormValues> = {version: 1, savedAt: now, values};
  try {
    storage()?.setItem(draftKey(customerId), JSON.stringify(draft));
  } catch {
    // Full or disabled: the form cannot be kept, which the login notice does not then claim.
  }
}

/**
 * What a draft holds: the form's values, without „Ihre Referenz" in a draft kept before that was
 * a field (the form then starts from the saved one, rather than remove it on the next save).
 */
export type DraftValues = Omit<BillingFormValues, 'reference'> & {reference?: string};

/** The customer's draft if it is younger than a day; an older or broken one is removed. */
export function loadDraft(
  customerId: string,
  now = Date.now(),
): {savedAt: number; values: DraftValues} | null {
  const draft = freshDraft(customerId, now);
  if (draft && isValues(draft.values)) {
    return {savedAt: draft.savedAt, values: draft.values};
  }
  removeDraft(customerId);
  return null;
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
      (key): key is string => key?.startsWith(draftKeyPrefix) ?? false,
    );
    for (const key of keys) {
      loadDraft(key.slice(draftKeyPrefix.length), now);
    }
  } catch {
    // Storage went away meanwhile.
  }
}
