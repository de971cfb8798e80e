/**
 * What PlayerDataService tells a player it kicks, per cause (each load failure starts with
 * "Data load failed", so a support reply can match them all).
 *
 * @example
 * ```ts
 * player.Kick(KickMessages.noSession);
 * ```
 */
export const KickMessages = {
	/** The session start outlasted the load timeout. */
	timedOut: "Data load failed: your data took too long to load. Please rejoin.",
	/** StartSessionAsync returned nil. */
	noSession: "Data load failed: your data is open on another server or the store is not answering. Please rejoin.",
	/** StartSessionAsync raised. */
	failed: "Data load failed: please rejoin.",
	/** ProfileStore ended the session here on its own (another server took the key). */
	sessionEnded: "Your data was opened on another server, so this server stopped saving it. Please rejoin.",
} as const;
