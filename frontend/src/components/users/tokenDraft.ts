/** An RFID token as the user editor holds it (date inputs: yyyy-mm-dd, UTC days; the saved token, if any), and saving it. */

import { usersApi, type Token, type TokenFields, type TokenStatus } from "../../calls/users";

export type TokenDraft = {
  key: string; // React's key: a saved token's id, or a number for a new one
  saved: Token | null;
  token_id: string;
  name: string;
  status: TokenStatus;
  valid_from: string;
  valid_to: string;
  infinite: boolean;
};

let drafts = 0;

export function newDraft(): TokenDraft {
  drafts += 1;
  return { key: `new-${drafts}`, saved: null, token_id: "", name: "", status: "Active", valid_from: "", valid_to: "", infinite: true };
}

export function fromToken(token: Token): TokenDraft {
  return {
    key: token.token_id,
    saved: token,
    token_id: token.token_id,
    name: token.name ?? "",
    status: token.status,
    valid_from: day(token.valid_from),
    valid_to: day(token.valid_to),
    infinite: token.valid_to === null,
  };
}

/** The API's fields: a validity starts at the beginning of its first UTC day and ends at the end of its last. */
export function fieldsOf(draft: TokenDraft): TokenFields {
  return {
    name: draft.name.trim() || null,
    status: draft.status,
    valid_from: draft.valid_from ? `${draft.valid_from}T00:00:00Z` : null,
    valid_to: draft.infinite || !draft.valid_to ? null : `${draft.valid_to}T23:59:59Z`,
  };
}

/** A saved token whose fields were changed in the editor. */
export function changed(draft: TokenDraft): boolean {
  if (!draft.saved) return false;
  return JSON.stringify(fieldsOf(draft)) !== JSON.stringify(fieldsOf(fromToken(draft.saved)));
}

function day(moment: string | null): string {
  return moment ? new Date(moment).toISOString().slice(0, 10) : "";
}

/** An edited user's new and changed tokens saved one by one, each reported as soon as the API has it (a
 * refusal leaves the ones before it saved); `added` says the user's version moved. */
export async function saveTokens(userId: string, drafts: TokenDraft[], onSaved: (key: string, saved: TokenDraft, added: boolean) => void) {
  for (const draft of drafts) {
    if (draft.saved === null) {
      onSaved(draft.key, fromToken(await usersApi.addToken(userId, { token_id: draft.token_id.trim(), ...fieldsOf(draft) })), true);
    } else if (changed(draft)) {
      const { valid_from, ...rest } = fieldsOf(draft); // none: unchanged
      const body = { ...rest, ...(valid_from ? { valid_from } : {}), version: draft.saved.version };
      onSaved(draft.key, fromToken(await usersApi.editToken(userId, draft.token_id, body)), false);
    }
  }
}
