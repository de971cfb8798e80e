/**
 * What the game keeps per player (a ProfileStore profile's `Data`). Flat and JSON-able on purpose: it
 * is saved as it is into a DataStore value.
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
	/**
	 * How many sessions loaded this data: each successful session start adds 1 before anything else
	 * (PlayerDataService), so it only grows while the data is the player's own. A save of defaults over
	 * data would set it back; the cross-server demo's auditor checks it never does.
	 */
	sessions?: number;
}

/**
 * The data a brand-new player starts with: ProfileStore's template. ProfileStore copies it only when
 * the key holds no profile yet, and `Reconcile` fills fields a stored profile lacks; the game never
 * writes it itself, so a failed or timed-out load can never save these defaults over real data.
 *
 * @example
 * ```ts
 * const store = ProfileStore.New("PlayerData", newPlayerData());
 * ```
 */
export function newPlayerData(): PlayerData {
	return { coins: 0, level: 1 };
}
