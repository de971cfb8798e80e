import { PlayerData } from "./PlayerData";
import { PlayerProfile, PlayerProfileStore } from "./PlayerProfileStore";

/**
 * A real {@link PlayerProfileStore} (ProfileStore) with situations staged per key, for the demo
 * server: a key whose session start is slow (it waits, then — unless `Cancel` said stop meanwhile —
 * starts the real session), or one whose start returns nil (what ProfileStore answers when it cannot
 * start a session). Every other call goes to the real store as it is. `Seed` writes a returning
 * player's data through a real session (start, set, EndSession, wait for the last save).
 *
 * @example
 * ```ts
 * const profiles = new StagedProfileStore(newPlayerProfileStore());
 * profiles.Seed("Player_42", { coins: 1200, level: 9 });
 * profiles.DelayStarts("Player_42", 15); // outlasts the 10 s load timeout: kick, nothing saved
 * ```
 */
export class StagedProfileStore implements PlayerProfileStore {
	private readonly delays = new Map<string, number>();
	private readonly refused = new Set<string>();

	/**
	 * @param inner the real store every call ends up in
	 *
	 * @example
	 * ```ts
	 * new StagedProfileStore(newPlayerProfileStore());
	 * ```
	 */
	public constructor(private readonly inner: PlayerProfileStore) {}

	/**
	 * Makes every later start of `profileKey` wait `seconds` first.
	 *
	 * @example
	 * ```ts
	 * profiles.DelayStarts("Player_42", 15);
	 * ```
	 */
	public DelayStarts(profileKey: string, seconds: number) {
		this.delays.set(profileKey, seconds);
	}

	/**
	 * Makes every later start of `profileKey` return nil without touching the store.
	 *
	 * @example
	 * ```ts
	 * profiles.RefuseStarts("Player_42");
	 * ```
	 */
	public RefuseStarts(profileKey: string) {
		this.refused.add(profileKey);
	}

	/**
	 * Writes `data` into the key through a real session, only when the key is new (this start is its
	 * first session); yields until its last save finished. A key that already holds a player's data —
	 * a server restarted in a universe run, or stores kept from an earlier run — is released unchanged:
	 * staging must never save over real data. Returns false if nothing was written.
	 *
	 * @example
	 * ```ts
	 * profiles.Seed("Player_42", { coins: 250, level: 3 });
	 * ```
	 */
	public Seed(profileKey: string, data: PlayerData): boolean {
		const profile = this.inner.StartSessionAsync(profileKey, { Cancel: () => false });
		if (profile === undefined) return false;
		// ProfileStore counts the key's session starts; past 1, the key held a player's data already.
		const starts = (profile as unknown as { SessionLoadCount?: number }).SessionLoadCount;
		const isNew = starts === undefined || starts <= 1;
		if (isNew) profile.Data = { ...data };
		let released = false;
		const connection = profile.OnAfterSave.Connect(() => (released = !profile.IsActive()));
		profile.EndSession();
		while (!released) task.wait();
		connection.Disconnect();
		return isNew;
	}

	/**
	 * {@inheritDoc PlayerProfileStore.StartSessionAsync}
	 *
	 * @example
	 * ```ts
	 * const profile = profiles.StartSessionAsync("Player_42", { Cancel: () => false });
	 * ```
	 */
	public StartSessionAsync(profileKey: string, params?: { Cancel?: () => boolean }): PlayerProfile | undefined {
		const delay = this.delays.get(profileKey);
		if (delay !== undefined) task.wait(delay);
		if (this.refused.has(profileKey) || params?.Cancel?.() === true) return undefined;
		return this.inner.StartSessionAsync(profileKey, params);
	}
}
