import { DataStoreService } from "@rbxts/services";
import { PLAYER_PROFILE_STORE_NAME, profileKeyOf } from "server/data/profileKey";
import { SESSION_LOG_PREFIX } from "server/data/sessionLog";
import { SessionFact } from "./DemoChecks";
import { RecordedLine } from "./leaseSource";

const PATTERN = `^${SESSION_LOG_PREFIX.gsub("%p", "%%%0")[0]}(%a+) (%d+) %a+ (%d+)`;
const NOW_PATTERN = " now (%d+)";

/**
 * The session-counter facts PlayerDataService logged (`[PlayerSessions] start 1001 loaded 2 now 3`,
 * `[PlayerSessions] saved 1001 sessions 3`), kept by `npm start -- --record "[PlayerSessions] "`, in
 * virtual seconds since the run began. Lines of other shapes are skipped.
 *
 * @example
 * ```ts
 * sessionFactsFromLines([{ t: 4, server: "S1", text: "[PlayerSessions] saved 1001 sessions 3" }]);
 * // [{ t: 4, userId: 1001, kind: "saved", counter: 3 }]
 * ```
 */
export function sessionFactsFromLines(lines: ReadonlyArray<RecordedLine>): Array<SessionFact> {
	const facts = new Array<SessionFact>();
	for (const line of lines) {
		const [kind, userId, value] = line.text.match(PATTERN);
		if (userId === undefined || value === undefined) continue;
		if (kind === "saved") {
			facts.push({ t: line.t, userId: tonumber(userId)!, kind: "saved", counter: tonumber(value)! });
		} else if (kind === "start") {
			const [now] = line.text.match(NOW_PATTERN);
			const loaded = tonumber(value)!;
			facts.push({
				t: line.t,
				userId: tonumber(userId)!,
				kind: "start",
				loaded,
				counter: tonumber(now) ?? loaded + 1,
			});
		}
	}
	return facts;
}

/**
 * Each player's stored session counter, read the way ProfileStore stores a profile: the "PlayerData"
 * DataStore, key `Player_<userId>`, value `{ Data = { sessions = N, ... }, MetaData = ... }` (a key
 * with no profile, or data with no counter, reads 0). A read that errors is retried 3 times, then
 * throws (the report then says so). Yields.
 *
 * @example
 * ```ts
 * storedSessionCounters([1001]); // Map { 1001 => 3 }
 * ```
 */
export function storedSessionCounters(
	userIds: ReadonlyArray<number>,
	dataStore: DataStore = DataStoreService.GetDataStore(PLAYER_PROFILE_STORE_NAME),
): Map<number, number> {
	const counters = new Map<number, number>();
	for (const userId of userIds) {
		let attempt = 0;
		while (true) {
			const [ok, value] = pcall(() => dataStore.GetAsync(profileKeyOf(userId))[0]);
			if (ok) {
				const sessions = (value as { Data?: { sessions?: unknown } } | undefined)?.Data?.sessions;
				counters.set(userId, typeIs(sessions, "number") ? sessions : 0);
				break;
			}
			attempt += 1;
			if (attempt > 3) throw value;
			task.wait(attempt);
		}
	}
	return counters;
}

/**
 * The "defaults saved over data" source of the report: the recorded session facts against the stored
 * counters of the players they name.
 *
 * @example
 * ```ts
 * sessionCheckInput(run); // { facts: [...], stored: Map { 1001 => 3 } }
 * ```
 */
export function sessionCheckInput(run: { readonly lines?: ReadonlyArray<RecordedLine> }) {
	const facts = sessionFactsFromLines(run.lines ?? []);
	const userIds = new Array<number>();
	const seen = new Set<number>();
	for (const fact of facts) {
		if (seen.has(fact.userId)) continue;
		seen.add(fact.userId);
		userIds.push(fact.userId);
	}
	return { facts, stored: facts.size() > 0 ? storedSessionCounters(userIds) : new Map<number, number>() };
}
