/**
 * What the game keeps per player. Flat on purpose: the store copies it field by field, as a real
 * DataStore would serialise it.
 */
export interface PlayerData {
	coins: number;
	level: number;
	/**
	 * UTC day (`YYYY-MM-DD`) of the last daily reward. Lives in the same record as `coins`, so the
	 * claim marker and the coins it granted are saved together (never one without the other).
	 */
	lastDailyReward?: string;
	/**
	 * Coins of the daily-reward ledger (RewardService, "DailyRewards" DataStore) already credited to
	 * `coins`. The ledger is the truth; a load or claim credits `ledger.totalCoins - this`, so a crash
	 * between the ledger write and this record's save is made good later and never credited twice.
	 */
	rewardCoinsCredited?: number;
}

/**
 * The data a brand-new player starts with. Only ever used when the store answered "no data" — never
 * after a failed or timed-out load, which would save these defaults over the real record.
 *
 * @example
 * ```ts
 * const data = store.Load(userId) ?? newPlayerData();
 * ```
 */
export function newPlayerData(): PlayerData {
	return { coins: 0, level: 1 };
}

/**
 * Where player data lives. The game codes against this interface, so the DataStore can be swapped
 * for an in-memory store (offline, specs) or a fake that is slow or failing.
 *
 * @example
 * ```ts
 * const data = store.Load(player.UserId); // may yield; undefined for a new player; throws on failure
 * store.Save(player.UserId, data);
 * ```
 */
export interface PlayerDataStore {
	/** The saved data, or `undefined` if this player has none. May yield; throws if the store fails. */
	Load(userId: number): PlayerData | undefined;
	/** Writes the data. May yield; throws if the store fails. */
	Save(userId: number, data: PlayerData): void;
}
