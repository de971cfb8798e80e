import { newPlayerData, PlayerData } from "./PlayerData";
import { PlayerProfile, PlayerProfileStore, ProfileConnection, profileKeyOf } from "./PlayerProfileStore";

/** Every field, so a field added to PlayerData is kept without touching the fake (the data is flat). */
function copy(data: PlayerData): PlayerData {
	return { ...data };
}

/** A signal as ProfileStore's: each listener in a thread of its own, at once. */
class ListenerList<T extends unknown[]> {
	private readonly listeners = new Set<(...args: T) => void>();
	public Connect(listener: (...args: T) => void): ProfileConnection {
		this.listeners.add(listener);
		const listeners = this.listeners;
		return {
			Disconnect() {
				listeners.delete(listener);
			},
		};
	}
	public fire(...args: T) {
		for (const listener of [...this.listeners]) task.spawn(listener, ...args);
	}
}

/** A session of {@link MemoryProfileStore}: ProfileStore's Profile, in memory. */
class MemoryProfile implements PlayerProfile {
	public Data: PlayerData;
	public readonly OnSessionEnd = new ListenerList<[]>();
	public readonly OnAfterSave = new ListenerList<[PlayerData]>();
	public readonly userIds = new Array<number>();
	public active = true;

	public constructor(
		private readonly store: MemoryProfileStore,
		public readonly key: string,
		data: PlayerData,
	) {
		this.Data = data;
	}

	public IsActive() {
		return this.active;
	}

	public Reconcile() {
		const template = newPlayerData();
		if (this.Data.coins === undefined) this.Data.coins = template.coins;
		if (this.Data.level === undefined) this.Data.level = template.level;
	}

	public AddUserId(userId: number) {
		if (!this.userIds.includes(userId)) this.userIds.push(userId);
	}

	public Save() {
		if (!this.active) return; // ProfileStore warns and saves nothing
		this.store.saveCalls += 1;
		task.spawn(() => this.store.write(this, this.Data));
	}

	public EndSession() {
		if (!this.active) return;
		this.store.saveCalls += 1;
		// As ProfileStore: inactive and OnSessionEnd at once, the last save in its own thread.
		this.end();
		const data = this.Data;
		task.spawn(() => this.store.write(this, data));
	}

	/** Ends the session without saving (another server took it). */
	public end() {
		this.active = false;
		this.store.forget(this);
		this.OnSessionEnd.fire();
	}
}

/**
 * A {@link PlayerProfileStore} kept in memory, for specs: ProfileStore's session rules in one server
 * (one session per key; a second start of an open key raises as ProfileStore does; `EndSession`
 * ends the session at once and saves in its own thread; `Cancel` is honoured when the start's
 * latency is over, which is when ProfileStore would look at it), with the situations the game must
 * survive: a slow start, a start that returns nil, a session taken by another server. It copies data
 * in and out, as a DataStore serialises it. Cross-server behaviour is pinned on the real ProfileStore
 * in a universe (test/server/PlayerDataHop.spec.lua), not here.
 *
 * @example
 * ```ts
 * const profiles = new MemoryProfileStore({ latencySeconds: 0.2 });
 * profiles.Seed(42, { coins: 500, level: 7 });
 * profiles.SetLoadLatency(42, 15); // this player's start will outlast a 10 s timeout
 * ```
 */
export class MemoryProfileStore implements PlayerProfileStore {
	private readonly records = new Map<string, PlayerData>();
	private readonly open = new Map<string, MemoryProfile>();
	private readonly loadLatency = new Map<string, number>();
	private readonly refused = new Set<string>();
	private readonly latencySeconds: number;
	/**
	 * StartSessionAsync calls that reached the store.
	 *
	 * @example
	 * ```ts
	 * expect(profiles.loads).to.equal(1); // racing loads shared one session start
	 * ```
	 */
	public loads = 0;
	/**
	 * Saves that landed (Save, EndSession).
	 *
	 * @example
	 * ```ts
	 * expect(profiles.saves).to.equal(1);
	 * ```
	 */
	public saves = 0;
	/**
	 * Save and EndSession calls on open profiles, landed or not yet.
	 *
	 * @example
	 * ```ts
	 * expect(profiles.saveCalls).to.equal(0); // a failed load is never saved
	 * ```
	 */
	public saveCalls = 0;

	/**
	 * @param options `latencySeconds`: time every start and save takes (default 0, no yield)
	 *
	 * @example
	 * ```ts
	 * const profiles = new MemoryProfileStore();
	 * ```
	 */
	public constructor(options: { latencySeconds?: number } = {}) {
		this.latencySeconds = options.latencySeconds ?? 0;
	}

	/**
	 * Puts a player's record in the store directly, as if saved in an earlier session.
	 *
	 * @example
	 * ```ts
	 * profiles.Seed(42, { coins: 500, level: 7 });
	 * ```
	 */
	public Seed(userId: number, data: PlayerData) {
		this.records.set(profileKeyOf(userId), copy(data));
	}

	/**
	 * Makes every later start of this player's session take `seconds`.
	 *
	 * @example
	 * ```ts
	 * profiles.SetLoadLatency(42, 15);
	 * ```
	 */
	public SetLoadLatency(userId: number, seconds: number) {
		this.loadLatency.set(profileKeyOf(userId), seconds);
	}

	/**
	 * Makes every later start of this player's session return nil (after its latency), as
	 * ProfileStore does when it cannot start one.
	 *
	 * @example
	 * ```ts
	 * profiles.FailLoads(42);
	 * ```
	 */
	public FailLoads(userId: number) {
		this.refused.add(profileKeyOf(userId));
	}

	/**
	 * Ends the player's open session without saving, as when another server steals it.
	 *
	 * @example
	 * ```ts
	 * profiles.StealSession(42); // the profile's OnSessionEnd fires
	 * ```
	 */
	public StealSession(userId: number) {
		this.open.get(profileKeyOf(userId))?.end();
	}

	/**
	 * What is saved for a player right now (a copy), or `undefined`.
	 *
	 * @example
	 * ```ts
	 * print(profiles.Peek(42)?.coins);
	 * ```
	 */
	public Peek(userId: number): PlayerData | undefined {
		const data = this.records.get(profileKeyOf(userId));
		return data && copy(data);
	}

	/**
	 * The UserIds the player's open session was associated with (GDPR), or `undefined` if none is open.
	 *
	 * @example
	 * ```ts
	 * expect(profiles.UserIdsOf(42)?.join(",")).to.equal("42");
	 * ```
	 */
	public UserIdsOf(userId: number): number[] | undefined {
		return this.open.get(profileKeyOf(userId))?.userIds;
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
		if (this.open.has(profileKey)) {
			error(`[MemoryProfileStore]: Profile (KEY:${profileKey}) is already loaded in this session`);
		}
		this.loads += 1;
		const latency = this.loadLatency.get(profileKey) ?? this.latencySeconds;
		if (latency > 0) task.wait(latency);
		if (params?.Cancel?.() === true || this.refused.has(profileKey)) return undefined;
		const stored = this.records.get(profileKey);
		const profile = new MemoryProfile(this, profileKey, stored ? copy(stored) : newPlayerData());
		this.open.set(profileKey, profile);
		return profile;
	}

	/** @internal A profile's save: lands after the store's latency, then its OnAfterSave fires. */
	public write(profile: MemoryProfile, data: PlayerData) {
		if (this.latencySeconds > 0) task.wait(this.latencySeconds);
		this.records.set(profile.key, copy(data));
		this.saves += 1;
		profile.OnAfterSave.fire(copy(data));
	}

	/** @internal A profile's session ended. */
	public forget(profile: MemoryProfile) {
		if (this.open.get(profile.key) === profile) this.open.delete(profile.key);
	}
}
