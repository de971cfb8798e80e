/** The DataStore ProfileStore keeps the game's player profiles in (`ProfileStore.New(name, template)`). */
export const PLAYER_PROFILE_STORE_NAME = "PlayerData";

/**
 * The DataStore key of a player's profile (ProfileStore's docs' convention). In a module of its own,
 * without ProfileStore, so a reader of the stored profiles (the demo's auditor) loads no library.
 *
 * @example
 * ```ts
 * profileKeyOf(42); // "Player_42"
 * ```
 */
export function profileKeyOf(userId: number) {
	return `Player_${userId}`;
}
