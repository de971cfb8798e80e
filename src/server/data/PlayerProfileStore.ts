import ProfileStore from "@rbxts/profile-store";
import { newPlayerData, PlayerData } from "./PlayerData";
import { PLAYER_PROFILE_STORE_NAME, profileKeyOf } from "./profileKey";

// Re-exported: the key lives in a module of its own so a reader (the demo auditor) loads no ProfileStore.
export { profileKeyOf };

/** A connection to one of a profile's signals. */
export interface ProfileConnection {
	Disconnect(): void;
}

/**
 * What PlayerDataService uses of a ProfileStore `Profile` (a subset of `@rbxts/profile-store`'s own
 * type, so the library's profiles fit it unchanged and a spec fake implements only this).
 *
 * @example
 * ```ts
 * const profile = profiles.StartSessionAsync("Player_42", { Cancel: () => left });
 * if (profile) profile.Data.coins += 10; // saved by the next autosave or EndSession
 * ```
 */
export interface PlayerProfile {
	/** The live data: changes made while `IsActive()` (and before a yield) are saved. */
	Data: PlayerData;
	/** True while this server holds the session. */
	IsActive(): boolean;
	/** Fills fields missing from `Data` from the store's template. */
	Reconcile(): void;
	/** Saves for the last time and releases the session lock; the save runs in ProfileStore's thread. */
	EndSession(): void;
	/** Associates a UserId with the DataStore key (GDPR erasure requests). */
	AddUserId(userId: number): void;
	/** Saves now (one UpdateAsync), in ProfileStore's thread. */
	Save(): void;
	/** Fires when the session ends here: EndSession, another server took it, or shutdown. */
	readonly OnSessionEnd: { Connect(listener: () => void): ProfileConnection };
	/** Fires after every UpdateAsync of this profile finished (autosave, Save, the last save). */
	readonly OnAfterSave: { Connect(listener: (lastSavedData: PlayerData) => void): ProfileConnection };
}

/**
 * What PlayerDataService needs of a ProfileStore store — and the fix for the typing gap of
 * `@rbxts/profile-store` 1.0.3: its d.ts says `StartSessionAsync` always returns a Profile, while the
 * Luau returns nil when the session cannot be started (another server started one at the same time,
 * `Cancel()` returned true, the server is closing, or — without `Cancel` — 120 s of store errors).
 * Here the nil is in the type, so the service must handle it. ProfileStore's own `Store` (and its
 * `.Mock`) fit this interface as they are; nothing in node_modules is edited.
 *
 * @example
 * ```ts
 * const profiles: PlayerProfileStore = ProfileStore.New("PlayerData", newPlayerData());
 * const profile = profiles.StartSessionAsync(profileKeyOf(player.UserId), { Cancel: () => !player.Parent });
 * if (profile === undefined) player.Kick("Data load failed: please rejoin");
 * ```
 */
export interface PlayerProfileStore {
	/** Yields until this server holds the key's session; `undefined` when it could not (see above). */
	StartSessionAsync(profileKey: string, params?: { Cancel?: () => boolean }): PlayerProfile | undefined;
}

/**
 * The game's ProfileStore: `ProfileStore.New(name, template)` on the live DataStores, template
 * {@link newPlayerData}. `mock` gives ProfileStore's `.Mock` (an in-memory store of the same name,
 * forgotten at shutdown) — for Studio play without API access, or a spec.
 *
 * @example
 * ```ts
 * const server = new GameServer({ guard, profiles: newPlayerProfileStore() });
 * ```
 */
export function newPlayerProfileStore(options: { name?: string; mock?: boolean } = {}): PlayerProfileStore {
	const store = ProfileStore.New(options.name ?? PLAYER_PROFILE_STORE_NAME, newPlayerData());
	return options.mock === true ? store.Mock : store;
}
