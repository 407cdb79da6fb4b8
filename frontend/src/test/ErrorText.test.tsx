import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { ApiError, errorFromResponse } from "../api";
import { ErrorText } from "../components/ErrorText";
import { renderApp } from "./render";

describe("an error as the operator reads it", () => {
  it("lists the fields of an invalid request under the API's text", () => {
    renderApp(<ErrorText error={errorFromResponse(400, { message: "Invalid request.", errors: [{ field: "email", message: "String should have at least 3 characters" }] })} />);
    const alert = screen.getByRole("alert");
    expect(alert.textContent).toContain("Invalid request.");
    expect(alert.textContent).toContain("email: String should have at least 3 characters");
  });

  it("shows no request id for a refusal, only for a system error", () => {
    renderApp(<ErrorText error={new ApiError(403, "Access denied.", "r-1")} />);
    expect(screen.getByRole("alert").textContent).toBe("Access denied.");
  });
});
