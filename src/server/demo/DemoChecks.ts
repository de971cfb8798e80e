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

/**
 * One recorded fact about a player's session counter (PlayerData.sessions): a session `start` that
 * loaded `loaded` and counts itself as `counter` (= loaded + 1), or an acknowledged `saved` of `counter`.
 */
export interface SessionFact {
	readonly t: number;
	readonly userId: number;
	readonly kind: "start" | "saved";
	readonly counter: number;
	readonly loaded?: number;
}

/**
 * Defaults saved over data, judged by the session counter each loaded session adds 1 to before
 * anything else. Once a save of counter N was acknowledged, the stored counter can only be N or more
 * while the data is the player's (a crash loses only what was never saved). So, per player:
 * - a session that started after that save (strictly later) and loaded less than N found its data set
 *   back — defaults (or older data) were saved over it: one violation per such start;
 * - a stored counter (read after the run) below the highest acknowledged N: one violation.
 * A player with no acknowledged save is not judged (nothing of theirs was known to be stored).
 *
 * @returns violations, players judged, acknowledged saves seen, and the players set back (UserIds, ascending)
 *
 * @example
 * ```ts
 * defaultsOverData(
 * 	[{ t: 1, userId: 1, kind: "saved", counter: 3 }, { t: 9, userId: 1, kind: "start", loaded: 0, counter: 1 }],
 * 	new Map([[1, 1]]),
 * ); // { violations: 2, players: 1, saves: 1, setBack: [1] }
 * ```
 */
export function defaultsOverData(facts: ReadonlyArray<SessionFact>, stored: ReadonlyMap<number, number>) {
	const byPlayer = new Map<number, Array<SessionFact>>();
	for (const fact of facts) {
		const list = byPlayer.get(fact.userId) ?? [];
		list.push(fact);
		byPlayer.set(fact.userId, list);
	}
	let violations = 0;
	let players = 0;
	let saves = 0;
	const setBack = new Array<number>();
	for (const [userId, list] of byPlayer) {
		const before = violations;
		const sorted = [...list];
		sorted.sort((a, b) => a.t < b.t);
		let highest = -1; // highest acknowledged save strictly before the facts being read
		let index = 0;
		while (index < sorted.size()) {
			// One instant at a time: its starts are judged before its saves count (ties are not "before").
			const t = sorted[index].t;
			let last = index;
			while (last < sorted.size() && sorted[last].t === t) last += 1;
			for (let at = index; at < last; at++) {
				const fact = sorted[at];
				if (fact.kind === "start" && highest >= 0 && (fact.loaded ?? fact.counter - 1) < highest)
					violations += 1;
			}
			for (let at = index; at < last; at++) {
				const fact = sorted[at];
				if (fact.kind !== "saved") continue;
				saves += 1;
				highest = math.max(highest, fact.counter);
			}
			index = last;
		}
		if (highest < 0) continue;
		players += 1;
		if ((stored.get(userId) ?? 0) < highest) violations += 1;
		if (violations > before) setBack.push(userId);
	}
	setBack.sort((a, b) => a < b);
	return { violations, players, saves, setBack };
}
