/** Who is logged in: the session from the log-in answer, checked again with the API on reload. */

import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { api, session, type Operator } from "./api";

type Auth = {
  operator: Operator | null;
  checking: boolean;
  logIn: (username: string, password: string) => Promise<void>;
  logOut: () => Promise<void>;
  forget: () => void;
};

const AuthContext = createContext<Auth | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [operator, setOperator] = useState<Operator | null>(null);
  const [checking, setChecking] = useState(() => session.token() !== null);
  const queries = useQueryClient();

  useEffect(() => {
    if (!session.token()) return;
    api
      .session()
      .then(setOperator)
      .catch(() => session.setToken(null))
      .finally(() => setChecking(false));
  }, []);

  const forget = useCallback(() => {
    session.setToken(null);
    setOperator(null);
    queries.clear();
  }, [queries]);

  const logIn = useCallback(async (username: string, password: string) => {
    const answer = await api.login(username, password);
    session.setToken(answer.token);
    session.setDeviceToken(answer.device_token);
    const { token: _token, expires_at: _expires, device_token: _device, ...who } = answer;
    setOperator(who);
  }, []);

  const logOut = useCallback(async () => {
    try {
      await api.logout();
    } finally {
      forget();
    }
  }, [forget]);

  const value = useMemo(() => ({ operator, checking, logIn, logOut, forget }), [operator, checking, logIn, logOut, forget]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error("useAuth outside AuthProvider");
  return auth;
}
