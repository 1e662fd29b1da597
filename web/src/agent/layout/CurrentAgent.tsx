import { createContext, useContext } from 'react';
import type { SessionUser } from '../../auth/session';

const CurrentAgentContext = createContext<SessionUser | null>(null);

export const CurrentAgentProvider = CurrentAgentContext.Provider;

/** The signed-in staff member; the workspace only renders below the staff check, so it is always set. */
export function useCurrentAgent(): SessionUser {
  const agent = useContext(CurrentAgentContext);
  if (!agent) throw new Error('useCurrentAgent is used outside the agent workspace');
  return agent;
}
