/** Calls and answer shapes of the organization views (through ../api's request: the one caller of /api/v1). */

// import { request } from "../api";

export const organizationApi = {};
