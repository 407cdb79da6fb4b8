/** Calls and answer shapes of the organization view (through ../api's request: the one caller of /api/v1). */

import { request } from "../api";

export type OrganizationData = { org_id: string; name: string; timezone: string; version: number };

export const organizationApi = {
  get: () => request<OrganizationData>("/organization"),
  update: (body: { name: string; timezone: string; version: number }) =>
    request<OrganizationData>("/organization", { method: "PUT", body }),
};
