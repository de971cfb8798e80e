/* eslint-disable roblox-ts/no-user-defined-lua-tuple -- Luau callers get (result, err) pairs, as everywhere in the toolkit */
import { checkOptions, checkSelf, invalidArgument, OptionRule } from "../arguments/check";
import { looksLikeDataStore } from "./effectArguments";
import { EffectDataStore } from "./types";

/** Options of `new StoreClock(...)`. */
export interface StoreClockOptions {
	/** A DataStore to calibrate against (one UpdateAsync on `key` per calibration). */
	readonly dataStore: GlobalDataStore | EffectDataStore;
	/** The key the calibration write touches (default "ExecutionGuard.StoreClock"). */
	readonly key?: string;
}

const RULES = new Map<string, OptionRule>([
	["dataStore", "any"],
	["key", "string"],
]);

/**
 * The DataStore's own clock, read on this server without asking the store each time. Server clocks
 * are skewed (`os.time()` differs per server; the emulator's `osTimeSkew`); the store stamps every
 * write with `keyInfo.UpdatedTime` from ONE clock. A write's UpdatedTime, bracketed by `os.clock()`
 * before and after the call, gives the offset from this server's monotonic clock to the store's,
 * within half the round trip; `Now()` is then `os.clock() + offset`. The sample with the tightest
 * bracket wins (any write can feed one through `Observe`).
 *
 * @example
 * ```ts
 * const clock = new StoreClock({ dataStore: DataStoreService.GetDataStore("DailyRewards") });
 * const day = clock.Today(); // UTC day index on the store's clock (calibrates once: one UpdateAsync)
 * ```
 */
export class StoreClock {
	private readonly dataStore: EffectDataStore;
	private readonly key: string;
	private offset: number | undefined;
	private uncertainty = math.huge;
	private calibrating = false;
	private readonly waiters = new Array<thread>();

	/**
	 * @param options the DataStore and the calibration key
	 *
	 * @example
	 * ```ts
	 * new StoreClock({ dataStore: DataStoreService.GetDataStore("DailyRewards") });
	 * ```
	 */
	public constructor(options: StoreClockOptions) {
		const where = "StoreClock.new";
		if (!typeIs(options, "table")) invalidArgument(where, "options", options, "a table with a dataStore");
		checkOptions(where, options, RULES);
		const store = options.dataStore as unknown;
		if (!looksLikeDataStore(store, false))
			invalidArgument(where, "options.dataStore", store, "a DataStore or a table with UpdateAsync");
		const key = options.key ?? "ExecutionGuard.StoreClock";
		if (key.size() === 0 || key.size() > 50)
			invalidArgument(where, "options.key", key, "a DataStore key of 1-50 characters");
		this.dataStore = store as EffectDataStore;
		this.key = key;
	}

	/**
	 * Feeds a write's keyInfo, with `os.clock()` read just before (`sentAt`) and after (`receivedAt`)
	 * the call. Kept only if its bracket is tighter than the sample held.
	 *
	 * @example
	 * ```ts
	 * const sentAt = os.clock();
	 * const [, info] = store.UpdateAsync(key, transform);
	 * clock.Observe(info, sentAt, os.clock());
	 * ```
	 */
	public Observe(keyInfo: DataStoreKeyInfo | undefined, sentAt: number, receivedAt: number) {
		checkSelf(this, StoreClock, "StoreClock", "Observe", "clock:Observe(keyInfo, sentAt, receivedAt)");
		if (keyInfo === undefined || !typeIs(sentAt, "number") || !typeIs(receivedAt, "number")) return;
		const half = (receivedAt - sentAt) / 2;
		// +1 ms: UpdatedTime is whole milliseconds.
		const uncertainty = half + 0.001;
		if (half < 0 || uncertainty >= this.uncertainty) return;
		this.offset = keyInfo.UpdatedTime / 1000 - (sentAt + half);
		this.uncertainty = uncertainty;
	}

	/**
	 * The store's Unix time in seconds now, or undefined before any calibration.
	 *
	 * @example
	 * ```ts
	 * const now = clock.Now() ?? clock.Calibrate() && clock.Now();
	 * ```
	 */
	public Now(): number | undefined {
		checkSelf(this, StoreClock, "StoreClock", "Now", "clock:Now()");
		return this.offset === undefined ? undefined : os.clock() + this.offset;
	}

	/**
	 * How far off `Now()` may be, in seconds (half the tightest round trip; `math.huge` uncalibrated).
	 *
	 * @example
	 * ```ts
	 * print(clock.GetUncertainty()); // 0.026
	 * ```
	 */
	public GetUncertainty(): number {
		checkSelf(this, StoreClock, "StoreClock", "GetUncertainty", "clock:GetUncertainty()");
		return this.uncertainty;
	}

	/**
	 * One calibration write (UpdateAsync on the clock key, a counter). Concurrent callers share one
	 * write. Returns whether the clock is calibrated afterwards. Yields.
	 *
	 * @example
	 * ```ts
	 * if (!clock.Calibrate()) warn("store unreachable; no day yet");
	 * ```
	 */
	public Calibrate(): boolean {
		checkSelf(this, StoreClock, "StoreClock", "Calibrate", "clock:Calibrate()");
		if (this.calibrating) {
			this.waiters.push(coroutine.running());
			coroutine.yield();
			return this.offset !== undefined;
		}
		this.calibrating = true;
		pcall(() => {
			const sentAt = os.clock();
			const [, info] = this.dataStore.UpdateAsync(this.key, (current, keyInfo) =>
				$tuple((typeIs(current, "number") ? current : 0) + 1, keyInfo?.GetUserIds(), keyInfo?.GetMetadata()),
			);
			this.Observe(info, sentAt, os.clock());
		});
		this.calibrating = false;
		const waiters = [...this.waiters];
		this.waiters.clear();
		// A waiter cancelled meanwhile is dead: resuming it would error.
		for (const waiter of waiters) if (coroutine.status(waiter) === "suspended") task.spawn(waiter);
		return this.offset !== undefined;
	}

	/**
	 * Today's UTC day index (`floor(storeSeconds / 86400)`) on the store's clock, calibrating first if
	 * needed; undefined when the store could not be reached.
	 *
	 * @example
	 * ```ts
	 * const day = clock.Today(); // 20717 = 2026-09-21
	 * ```
	 */
	public Today(): number | undefined {
		checkSelf(this, StoreClock, "StoreClock", "Today", "clock:Today()");
		if (this.offset === undefined && !this.Calibrate()) return undefined;
		return math.floor((os.clock() + this.offset!) / 86400);
	}
}
