/** Calls and answer shapes of the reports views (through ../api's request: the one caller of /api/v1). */

// import { request } from "../api";

export const reportsApi = {};
