/** Calls and answer shapes of the charging user groups view (through ../api's request: the one caller of /api/v1). */

import { request, type Page } from "../api";
import { allPages } from "./users";

export type UserGroupRow = { user_group_id: string; name: string; active: boolean; member_count: number };
export type Member = { user_id: string; first_name: string; last_name: string; email: string };
export type UserGroup = UserGroupRow & { members: Member[]; version: number };
export type UserGroupFields = { name: string; member_ids: string[]; active: boolean };

const one = (id: string) => `/user-groups/${encodeURIComponent(id)}`;

export const userGroupsApi = {
  list: (query: { q?: string; cursor?: string; limit?: number }) => request<Page<UserGroupRow>>("/user-groups", { query }),
  all: () => allPages((cursor) => userGroupsApi.list({ cursor, limit: 100 })),
  get: (id: string) => request<UserGroup>(one(id)),
  create: (body: UserGroupFields) => request<UserGroup>("/user-groups", { method: "POST", body }),
  edit: (id: string, body: UserGroupFields & { version: number }) => request<UserGroup>(one(id), { method: "PUT", body }),
  remove: (id: string) => request<null>(one(id), { method: "DELETE" }),
};
