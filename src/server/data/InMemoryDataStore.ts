import { PlayerData, PlayerDataStore } from "./PlayerData";

function copy(data: PlayerData): PlayerData {
	return {
		coins: data.coins,
		level: data.level,
		lastDailyReward: data.lastDailyReward,
		rewardCoinsCredited: data.rewardCoinsCredited,
	};
}

/**
 * A {@link PlayerDataStore} kept in memory, standing in for a DataStore offline and in specs. It
 * copies data in and out (like serialisation, so a caller cannot mutate what is "saved"), waits a
 * configurable latency on every call, and can be told to be slow or to fail for one player — the
 * situations the game must survive.
 *
 * @example
 * ```ts
 * const store = new InMemoryDataStore({ latencySeconds: 0.2 });
 * store.Seed(42, { coins: 500, level: 7 });
 * store.SetLoadLatency(42, 15); // this player's load will outlast a 10 s timeout
 * ```
 */
export class InMemoryDataStore implements PlayerDataStore {
	private readonly records = new Map<number, PlayerData>();
	private readonly loadLatency = new Map<number, number>();
	private readonly loadFailures = new Map<number, string>();
	private readonly latencySeconds: number;
	/**
	 * How many Load calls reached the store (for specs and the demo).
	 *
	 * @example
	 * ```ts
	 * expect(store.loads).to.equal(1); // racing loads shared one read
	 * ```
	 */
	public loads = 0;
	/**
	 * How many Save calls wrote a record.
	 *
	 * @example
	 * ```ts
	 * expect(store.saves).to.equal(0); // a failed load is never saved
	 * ```
	 */
	public saves = 0;

	/**
	 * @param options `latencySeconds`: time every Load/Save takes (default 0, no yield)
	 *
	 * @example
	 * ```ts
	 * const store = new InMemoryDataStore();
	 * ```
	 */
	public constructor(options: { latencySeconds?: number } = {}) {
		this.latencySeconds = options.latencySeconds ?? 0;
	}

	/**
	 * Puts a record in the store directly, as if saved in an earlier session.
	 *
	 * @example
	 * ```ts
	 * store.Seed(42, { coins: 500, level: 7 });
	 * ```
	 */
	public Seed(userId: number, data: PlayerData) {
		this.records.set(userId, copy(data));
	}

	/**
	 * Makes every later Load of this player take `seconds` instead of the default latency.
	 *
	 * @example
	 * ```ts
	 * store.SetLoadLatency(42, 15);
	 * ```
	 */
	public SetLoadLatency(userId: number, seconds: number) {
		this.loadLatency.set(userId, seconds);
	}

	/**
	 * Makes every later Load of this player throw `message` (after its latency).
	 *
	 * @example
	 * ```ts
	 * store.FailLoads(42, "DataStore request was throttled");
	 * ```
	 */
	public FailLoads(userId: number, message: string) {
		this.loadFailures.set(userId, message);
	}

	/**
	 * What is saved for a player right now (a copy), or `undefined`.
	 *
	 * @example
	 * ```ts
	 * print(store.Peek(42)?.coins);
	 * ```
	 */
	public Peek(userId: number): PlayerData | undefined {
		const data = this.records.get(userId);
		return data && copy(data);
	}

	/**
	 * {@inheritDoc PlayerDataStore.Load} Waits the player's latency, then fails if told to.
	 *
	 * @example
	 * ```ts
	 * const data = store.Load(42);
	 * ```
	 */
	public Load(userId: number): PlayerData | undefined {
		this.loads += 1;
		const latency = this.loadLatency.get(userId) ?? this.latencySeconds;
		if (latency > 0) task.wait(latency);
		const failure = this.loadFailures.get(userId);
		if (failure !== undefined) error(failure, 0);
		const data = this.records.get(userId);
		return data && copy(data);
	}

	/**
	 * {@inheritDoc PlayerDataStore.Save} Waits the store's latency.
	 *
	 * @example
	 * ```ts
	 * store.Save(42, { coins: 10, level: 1 });
	 * ```
	 */
	public Save(userId: number, data: PlayerData) {
		if (this.latencySeconds > 0) task.wait(this.latencySeconds);
		this.records.set(userId, copy(data));
		this.saves += 1;
	}
}
