// The daily-reward ledger: the durable truth of who was granted which day's reward, kept by an
// EffectStore in the "DailyRewards" DataStore, one key per player. Shape and keys are documented in
// src/shared/guard/effects/README.md ("The reward ledger"); the demo reads it to count grants.

/** The DataStore the ledger lives in. */
export const REWARD_LEDGER_NAME = "DailyRewards";

/** One player's ledger (the `data` of the EffectStore envelope at `player_{userId}`). */
export interface RewardLedger {
	/** coins granted by every daily reward so far (monotonic; the player's data credits up to it) */
	totalCoins: number;
	/** how many daily rewards were granted */
	grants: number;
	/** UTC day (`YYYY-MM-DD`, the store's clock) → coins granted that day; one entry per granted day */
	days: Record<string, number>;
}

/** What a daily-reward op carries (its op id is `daily_{userId}_{day}`). */
export interface DailyGrant {
	readonly day: string;
	readonly amount: number;
}

/**
 * The ledger key of a player.
 *
 * @example
 * ```ts
 * ledgerKey(42); // "player_42"
 * ```
 */
export function ledgerKey(userId: number) {
	return `player_${userId}`;
}

/**
 * The op id of a player's reward for a day: one grant per player per UTC day.
 *
 * @example
 * ```ts
 * dailyOpId(42, "2026-09-21"); // "daily_42_2026-09-21"
 * ```
 */
export function dailyOpId(userId: number, day: string) {
	return `daily_${userId}_${day}`;
}

/**
 * The EffectStore change that records a grant (pure, never yields: it runs inside UpdateAsync).
 *
 * @example
 * ```ts
 * ledger.Apply(ledgerKey(42), dailyOpId(42, day), { day, amount: 100 }, grantToLedger);
 * ```
 */
export function grantToLedger(ledger: RewardLedger | undefined, grant: DailyGrant): RewardLedger {
	const updated = ledger ?? { totalCoins: 0, grants: 0, days: {} };
	updated.days ??= {};
	updated.totalCoins += grant.amount;
	updated.grants += 1;
	updated.days[grant.day] = grant.amount;
	return updated;
}
