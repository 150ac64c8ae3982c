import { createContext, useContext, type ReactNode } from 'react';
import { allows, type Permission } from './roles';

/** Who is signed in; the app gets it from Keycloak, tests make one up. */
export interface Session {
  username: string;
  roles: string[];
  logout: () => void;
}

const SessionContext = createContext<Session>({ username: '', roles: [], logout: () => undefined });

export function SessionProvider({ session, children }: { session: Session; children: ReactNode }) {
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  return useContext(SessionContext);
}

export function useCan(permission: Permission): boolean {
  return allows(useSession().roles, permission);
}

/** Renders its children only for roles the API would not refuse. */
export function Allowed({ to, children }: { to: Permission; children: ReactNode }) {
  return useCan(to) ? <>{children}</> : null;
}
