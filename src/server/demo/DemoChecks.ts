/**
 * The demo's invariant checks, as pure functions over plain records (what the report module read from
 * the stores and what the clients were shown), so a spec pins each rule without a universe.
 */

/** One durable grant, as the reward ledger records it. */
export interface LedgerGrant {
	readonly userId: number;
	readonly day: string;
}

/** What one player's client was shown: "you got the reward of `day`", sent by server `server`. */
export interface ShownGrant {
	readonly userId: number;
	readonly day: string;
	readonly server: string;
}

/** One holding of an experience-wide lease: who held `key` with `token`, from when until when (seconds). */
export interface LeaseHolding {
	readonly key: string;
	readonly token: number;
	readonly owner: string;
	readonly from: number;
	readonly to: number;
}

const playerDay = (userId: number, day: string) => `${userId}:${day}`;

/**
 * Counts the ledger's grants against the player-days and against what players were shown.
 *
 * @returns grants (ledger entries), uniquePlayerDays (distinct player-days among them), doubleGrants
 *   (entries beyond the first per player-day), lostAcknowledgedGrants (player-days a client was shown
 *   as granted that the ledger does not hold)
 *
 * @example
 * ```ts
 * countGrants([{ userId: 1, day: "2026-09-21" }], [{ userId: 1, day: "2026-09-21", server: "S1" }]);
 * // { grants: 1, uniquePlayerDays: 1, doubleGrants: 0, lostAcknowledgedGrants: 0 }
 * ```
 */
export function countGrants(ledger: ReadonlyArray<LedgerGrant>, shown: ReadonlyArray<ShownGrant>) {
	const granted = new Set<string>();
	for (const grant of ledger) granted.add(playerDay(grant.userId, grant.day));
	const acknowledged = new Set<string>();
	for (const item of shown) acknowledged.add(playerDay(item.userId, item.day));
	let lost = 0;
	for (const key of acknowledged) if (!granted.has(key)) lost += 1;
	return {
		grants: ledger.size(),
		uniquePlayerDays: granted.size(),
		doubleGrants: ledger.size() - granted.size(),
		lostAcknowledgedGrants: lost,
	};
}

/**
 * Player-days shown as granted by more than one server: each server's "granted" is its own commit, so
 * two servers showing one player-day are two grants. (Repeats from one server are the same grant shown
 * again: a cached claim result.) A lower bound on double grants, measured from what players saw alone.
 *
 * @example
 * ```ts
 * shownByTwoServers([{ userId: 1, day: "d", server: "S1" }, { userId: 1, day: "d", server: "S2" }]); // 1
 * ```
 */
export function shownByTwoServers(shown: ReadonlyArray<ShownGrant>): number {
	const servers = new Map<string, Set<string>>();
	for (const item of shown) {
		const key = playerDay(item.userId, item.day);
		const seen = servers.get(key) ?? new Set<string>();
		seen.add(item.server);
		servers.set(key, seen);
	}
	let extra = 0;
	for (const [, seen] of servers) extra += seen.size() - 1;
	return extra;
}

/**
 * Lease holdings that overlap, judged by fencing-token order: per key, sorted by token, each holding
 * must start at or after the end of the one with the next lower token (tokens grow with every new
 * holder, so a higher token that started while a lower one still held the key is two holders at once),
 * and a holder's token must be higher than every earlier holder's (a token reused or going back is
 * counted too).
 *
 * @example
 * ```ts
 * leaseOverlaps([{ key: "k", token: 1, owner: "A", from: 0, to: 30 }, { key: "k", token: 2, owner: "B", from: 10, to: 40 }]); // 1
 * ```
 */
export function leaseOverlaps(holdings: ReadonlyArray<LeaseHolding>): number {
	const byKey = new Map<string, Array<LeaseHolding>>();
	for (const holding of holdings) {
		const list = byKey.get(holding.key) ?? [];
		list.push(holding);
		byKey.set(holding.key, list);
	}
	let overlaps = 0;
	for (const [, list] of byKey) {
		const sorted = [...list];
		sorted.sort((a, b) => (a.token !== b.token ? a.token < b.token : a.from < b.from));
		for (let index = 1; index < sorted.size(); index++) {
			const previous = sorted[index - 1];
			const current = sorted[index];
			if (current.token === previous.token && current.owner !== previous.owner) overlaps += 1;
			else if (current.owner !== previous.owner && current.from < previous.to) overlaps += 1;
		}
	}
	return overlaps;
}
