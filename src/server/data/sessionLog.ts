/**
 * Prefix of the two lines each player session logs for the cross-server demo's auditor (`npm start`
 * keeps them with `--record "[PlayerSessions] "`): `start <userId> loaded <L> now <L+1>` once
 * PlayerDataService adopted the profile, and `saved <userId> sessions <N>` after each acknowledged
 * save (read back by server/demo/sessionSource.ts). Its own module so the auditor loads no service.
 *
 * @example
 * ```ts
 * log(`${SESSION_LOG_PREFIX}saved ${userId} sessions ${data.sessions}`);
 * ```
 */
export const SESSION_LOG_PREFIX = "[PlayerSessions] ";
