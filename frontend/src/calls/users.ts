/** Calls and answer shapes of the charging users views (through ../api's request: the one caller of /api/v1). */

import { request, type Page } from "../api";

export type TokenStatus = "Active" | "Blocked";

export type Token = {
  token_id: string;
  name: string | null;
  status: TokenStatus;
  valid_from: string | null;
  valid_to: string | null;
  valid_infinitely: boolean;
  version: number;
};

export type TokenFields = {
  name: string | null;
  status: TokenStatus;
  valid_from?: string | null;
  valid_to: string | null;
};

export type ChargingUserRow = {
  user_id: string;
  first_name: string;
  last_name: string;
  email: string;
  user_group_id: string | null;
  user_group_name: string | null;
  token_count: number;
  active: boolean;
};

export type ChargingUser = ChargingUserRow & {
  access_group_ids: string[];
  access_station_ids: string[];
  tokens: Token[];
  version: number;
};

export type UserFields = {
  first_name: string;
  last_name: string;
  user_group_id: string | null;
  access_group_ids: string[];
  access_station_ids: string[];
};

export type NewUser = UserFields & { email: string; tokens: (TokenFields & { token_id: string })[] };
export type UserEdit = UserFields & { version: number; active?: boolean };

const user = (userId: string) => `/charging-users/${encodeURIComponent(userId)}`;
const token = (userId: string, tokenId: string) => `${user(userId)}/tokens/${encodeURIComponent(tokenId)}`;

/** Every page of a list (the API gives at most 100 a page), for the pickers; at most `pages` pages. */
export async function allPages<T>(load: (cursor?: string) => Promise<Page<T>>, pages = 20): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < pages; i++) {
    const page = await load(cursor);
    items.push(...page.items);
    if (!page.cursor) break;
    cursor = page.cursor;
  }
  return items;
}

export const usersApi = {
  list: (query: { q?: string; user_group_id?: string; cursor?: string; limit?: number }) =>
    request<Page<ChargingUserRow>>("/charging-users", { query }),
  all: () => allPages((cursor) => usersApi.list({ cursor, limit: 100 })),
  get: (userId: string) => request<ChargingUser>(user(userId)),
  create: (body: NewUser) => request<ChargingUser>("/charging-users", { method: "POST", body }),
  edit: (userId: string, body: UserEdit) => request<ChargingUser>(user(userId), { method: "PUT", body }),
  remove: (userId: string) => request<null>(user(userId), { method: "DELETE" }),
  addToken: (userId: string, body: TokenFields & { token_id: string }) =>
    request<Token>(`${user(userId)}/tokens`, { method: "POST", body }),
  editToken: (userId: string, tokenId: string, body: TokenFields & { version: number }) =>
    request<Token>(token(userId, tokenId), { method: "PUT", body }),
  removeToken: (userId: string, tokenId: string) => request<null>(token(userId, tokenId), { method: "DELETE" }),
};
