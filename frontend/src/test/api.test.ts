import { describe, expect, it } from "vitest";
import { api, ApiError, errorFromResponse, session } from "../api";
import { mockApi } from "./render";

describe("the API client", () => {
  it("shows the API's own text for a refusal", () => {
    const error = errorFromResponse(403, { message: "Access denied.", request_id: "r-1" });
    expect(error.message).toBe("Access denied.");
    expect(error.requestId).toBe("r-1");
  });

  it("words an answer without a text as the manual's system error with the status as its number", () => {
    expect(errorFromResponse(502, null).message).toBe(
      "Error #502 encountered. If this error persists, please consult user manual for further actions.",
    );
  });

  it("keeps the field errors of an invalid request", () => {
    const error = errorFromResponse(400, { message: "Invalid request.", errors: [{ field: "email", message: "too short" }] });
    expect(error.fields).toEqual([{ field: "email", message: "too short" }]);
  });

  it("says the server cannot be reached when the network fails", async () => {
    mockApi({});
    globalThis.fetch = () => Promise.reject(new TypeError("Failed to fetch"));
    await expect(api.session()).rejects.toThrow("The server cannot be reached. Check your network connection and try again.");
  });

  it("sends the bearer token and forgets it when the API answers 401", async () => {
    session.setToken("tok-1");
    const calls = mockApi({ "GET /auth/session": [401, { message: "Session expired. Please log in again." }] });
    const failure = await api.session().catch((e: ApiError) => e);
    expect(calls[0].headers.authorization).toBe("Bearer tok-1");
    expect((failure as ApiError).message).toBe("Session expired. Please log in again.");
    expect(session.token()).toBeNull();
  });

  it("sends this browser's device token with the log-in", async () => {
    session.setDeviceToken("dev-7");
    const calls = mockApi({ "POST /auth/login": [401, { message: "Wrong credentials." }] });
    await api.login("acme-admin", "x").catch(() => undefined);
    expect(calls[0].body).toEqual({ username: "acme-admin", password: "x", device_token: "dev-7" });
  });
});
