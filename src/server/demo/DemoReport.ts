/**
 * The demo's report module: `npm start -- --servers 3 --faults` calls it at the end of the run, in a
 * fresh "auditor" server of the universe that runs no game scripts (package.json's start script names
 * its entry, `--report ServerScriptService.TS.demo.Report`). It reads what the game keeps through the
 * normal Roblox APIs and what each player's client was shown (the emulator records every
 * `RemoteEvent:FireClient`; the emulator knows nothing of rewards), and returns the invariants.
 *
 * Each invariant reads one source. A source this build does not have is reported "not measured", with
 * the reason — never a 0 nobody measured:
 * - the reward ledger (grants, player-days, double and lost grants) — the cross-server RewardService;
 * - defaults saved over data — the session-locked PlayerDataService's session counter (its logged
 *   starts and acknowledged saves against each stored profile);
 * - lease holdings with their fencing tokens — the experience-wide job.
 * What clients were shown is always measured: a player-day shown as granted by two servers is a double
 * grant players saw.
 *
 * @example
 * ```lua
 * local report = require(ServerScriptService.TS.demo.Report)(run) -- run: what the emulator recorded
 * print(report.values.doubleGrants)
 * ```
 */
import {
	countGrants,
	defaultsOverData,
	LeaseHolding,
	LedgerGrant,
	leaseOverlaps,
	SessionFact,
	ShownGrant,
	shownByTwoServers,
} from "./DemoChecks";
import { readRewardLedger } from "./ledgerSource";
import { leaseHoldingsFromLines, RecordedLine } from "./leaseSource";
import { sessionCheckInput } from "./sessionSource";

/** What the emulator recorded during the run (emulator/README.md, "the report module"). */
export interface RecordedRun {
	readonly duration: number;
	readonly epoch: number;
	readonly servers: ReadonlyArray<{
		name: string;
		jobId: string;
		startedAt: number;
		endedAt?: number;
		state: string;
	}>;
	/** The lines `--record` kept (the season job's lease log, the player sessions' counters). */
	readonly lines?: ReadonlyArray<RecordedLine>;
	readonly clientEvents: ReadonlyArray<{
		t: number;
		server: string;
		userId: number;
		remote: string;
		args: ReadonlyArray<unknown>;
	}>;
}

type Value = number | "not measured";

/** What the report module returns (the emulator prints and judges it generically). */
export interface DemoReportResult {
	readonly values: Record<string, Value>;
	readonly invariants: Array<{ name: string; holds?: boolean; detail: string }>;
	readonly timeline: Array<{
		kind: string;
		key?: string;
		jobId?: string;
		server?: string;
		token?: number;
		at?: number;
		from?: number;
		to?: number;
		text?: string;
	}>;
}

/** Where each check reads its facts; undefined = not in this build (so "not measured"). */
export interface DemoSources {
	readonly ledger?: () => ReadonlyArray<LedgerGrant & { jobId?: string; at?: number }>;
	/** The session-counter facts recorded and each player's stored counter (see defaultsOverData). */
	readonly defaultsSavedOverData?: (run: RecordedRun) => {
		readonly facts: ReadonlyArray<SessionFact>;
		readonly stored: ReadonlyMap<number, number>;
	};
	readonly leaseHoldings?: (run: RecordedRun) => ReadonlyArray<LeaseHolding & { server?: string }>;
}

const NOT_MEASURED = "not measured";
const GRANTED_REMOTE = "DailyRewardGranted";

/** What players were shown: every `Remotes.DailyRewardGranted(day, amount)` a client received. */
export function shownGrants(run: RecordedRun): Array<ShownGrant> {
	const shown = new Array<ShownGrant>();
	for (const item of run.clientEvents) {
		const [day] = item.args;
		if (item.remote.sub(-GRANTED_REMOTE.size()) === GRANTED_REMOTE && typeIs(day, "string")) {
			shown.push({ userId: item.userId, day, server: item.server });
		}
	}
	return shown;
}

/**
 * Builds the report from the run and the sources.
 *
 * @example
 * ```ts
 * const report = buildDemoReport(run, {}); // every store-backed invariant "not measured"
 * ```
 */
export function buildDemoReport(run: RecordedRun, sources: DemoSources): DemoReportResult {
	const values: Record<string, Value> = {};
	const invariants: DemoReportResult["invariants"] = [];
	const timeline: DemoReportResult["timeline"] = [];
	const shown = shownGrants(run);
	const shownTwice = shownByTwoServers(shown);
	values.grantsShownToPlayers = shown.size();
	values.playerDaysShownByTwoServers = shownTwice;
	invariants.push({
		name: "no player-day shown as granted by two servers",
		holds: shownTwice === 0,
		detail: `${shownTwice} player-day(s) shown by more than one server (from what ${shown.size()} client messages said)`,
	});

	if (sources.ledger) {
		const ledger = sources.ledger();
		const counts = countGrants(ledger, shown);
		values.grants = counts.grants;
		values.uniquePlayerDays = counts.uniquePlayerDays;
		values.doubleGrants = counts.doubleGrants;
		values.lostAcknowledgedGrants = counts.lostAcknowledgedGrants;
		invariants.push({
			name: "grants equal unique player-days",
			holds: counts.grants === counts.uniquePlayerDays,
			detail: `${counts.grants} grants, ${counts.uniquePlayerDays} player-days`,
		});
		invariants.push({
			name: "0 double grants",
			holds: counts.doubleGrants === 0,
			detail: `${counts.doubleGrants} in the ledger`,
		});
		invariants.push({
			name: "0 lost acknowledged grants",
			holds: counts.lostAcknowledgedGrants === 0,
			detail: `${counts.lostAcknowledgedGrants} shown to a player but not in the ledger`,
		});
		for (const grant of ledger)
			timeline.push({
				kind: "grant",
				jobId: grant.jobId,
				at: grant.at,
				text: `player ${grant.userId} ${grant.day}`,
			});
	} else {
		const reason = "needs the reward ledger of the cross-server RewardService, not in this build";
		for (const name of ["grants", "uniquePlayerDays", "doubleGrants", "lostAcknowledgedGrants"])
			values[name] = NOT_MEASURED;
		for (const name of ["grants equal unique player-days", "0 double grants", "0 lost acknowledged grants"])
			invariants.push({ name, detail: reason });
	}

	const sessions = sources.defaultsSavedOverData?.(run);
	const judged = sessions ? defaultsOverData(sessions.facts, sessions.stored) : undefined;
	if (judged && judged.players > 0) {
		values.defaultsSavedOverData = judged.violations;
		values.sessionCountersChecked = judged.players;
		invariants.push({
			name: "0 defaults saved over data",
			holds: judged.violations === 0,
			detail:
				`${judged.violations} session counter(s) set back, of ${judged.players} players with ${judged.saves} acknowledged saves` +
				(judged.setBack.size() > 0 ? ` (UserIds ${judged.setBack.join(", ")})` : ""),
		});
	} else {
		values.defaultsSavedOverData = NOT_MEASURED;
		invariants.push({
			name: "0 defaults saved over data",
			detail: sources.defaultsSavedOverData
				? 'no acknowledged save was recorded (PlayerDataService logs "[PlayerSessions] saved ..."; npm start records those lines with --record "[PlayerSessions] ")'
				: "needs the session-locked PlayerDataService's records, not in this build",
		});
	}

	const holdings = sources.leaseHoldings?.(run) ?? [];
	if (holdings.size() > 0) {
		const overlaps = leaseOverlaps(holdings);
		values.leaseOverlaps = overlaps;
		values.leaseHoldings = holdings.size();
		invariants.push({
			name: "lease holders never overlap (fencing-token order)",
			holds: overlaps === 0,
			detail: `${overlaps} overlap(s) in ${holdings.size()} holdings`,
		});
		// the timeline reads the game's clock: holdings are in virtual seconds since the run began
		for (const holding of holdings)
			timeline.push({
				kind: "lease",
				key: holding.key,
				server: holding.server,
				jobId: holding.owner,
				token: holding.token,
				from: run.epoch + holding.from,
				to: run.epoch + holding.to,
			});
	} else {
		values.leaseOverlaps = NOT_MEASURED;
		invariants.push({
			name: "lease holders never overlap (fencing-token order)",
			detail: sources.leaseHoldings
				? 'no lease holding was recorded (the season job logs "[SeasonJob] acquired ..."; npm start records those lines with --record "[SeasonJob] ")'
				: "needs the experience-wide job's lease log, not in this build",
		});
	}
	return { values, invariants, timeline };
}

/** The sources this build has (each added with the piece that records it). */
export const DEMO_SOURCES: DemoSources = {
	ledger: () => readRewardLedger(),
	defaultsSavedOverData: sessionCheckInput,
	leaseHoldings: leaseHoldingsFromLines,
};
