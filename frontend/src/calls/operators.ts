/** Calls and answer shapes of the operators views (through ../api's request: the one caller of /api/v1). */

import { request, type Page } from "../api";

export type Role = "admin" | "basic";
export type OperatorStatus = "Active" | "Inactive";
export type OperatorRow = {
  username: string;
  email: string;
  first_name: string;
  last_name: string;
  role: Role;
  status: OperatorStatus;
  activated: boolean;
  base_group_id: string;
  base_group_name: string | null;
  invited_at: string | null;
  version: number;
};
export type Invitation = {
  email: string;
  email_confirmation: string;
  username: string;
  first_name: string;
  last_name: string;
  role: Role;
  base_group_id: string;
};
export type OperatorEdit = Pick<OperatorRow, "first_name" | "last_name" | "email" | "role" | "status" | "base_group_id" | "version">;
export type OperatorQuery = { q?: string; status?: string; cursor?: string; limit?: number };

const path = (username: string) => `/operators/${encodeURIComponent(username)}`;

export const operatorsApi = {
  list: (query: OperatorQuery) => request<Page<OperatorRow>>("/operators", { query }),
  get: (username: string) => request<OperatorRow>(path(username)),
  invite: (body: Invitation) => request<OperatorRow>("/operators", { method: "POST", body }),
  update: (username: string, body: OperatorEdit) => request<OperatorRow>(path(username), { method: "PUT", body }),
  remove: (username: string) => request<null>(path(username), { method: "DELETE" }),
  resendInvitation: (username: string) => request<{ message: string }>(`${path(username)}/invitation`, { method: "POST" }),
  remind: (username: string) => request<{ message: string }>(`${path(username)}/reminder`, { method: "POST" }),
  resetPassword: (username: string, email: string) =>
    request<{ message: string }>(`${path(username)}/password-reset`, { method: "POST", body: { email } }),
};
