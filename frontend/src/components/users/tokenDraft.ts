/** An RFID token as the user editor holds it: date inputs (yyyy-mm-dd, UTC days) and the saved token, if any. */

import type { Token, TokenFields, TokenStatus } from "../../calls/users";

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
