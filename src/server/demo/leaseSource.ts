import { LeaseHolding } from "./DemoChecks";

/** A line a server printed that `npm start -- --record "[SeasonJob] "` kept, with its virtual time. */
export interface RecordedLine {
	readonly t: number;
	readonly server: string;
	readonly text: string;
}

/** The run as far as this reader needs it. */
export interface LeaseRun {
	readonly duration: number;
	readonly servers: ReadonlyArray<{ name: string; endedAt?: number }>;
	readonly lines?: ReadonlyArray<RecordedLine>;
}

/**
 * The season job's lease holdings, from its log lines (SeasonJobService logs every lease event:
 * `[SeasonJob] acquired season_reset token 3 on <jobId>`, `released`, `lost`). A holding runs from its
 * `acquired` line to the first `released` or `lost` line of the same key and token, else to the end of
 * the holder's server (a crash: it logs nothing more; its lease lapses after the TTL, which the next
 * holder's token order then shows). Times are virtual seconds since the run started. The log is the
 * only record a crashed holder leaves: lines printed before the crash are all kept.
 *
 * @example
 * ```ts
 * leaseHoldingsFromLines(run); // [{ key: "season_reset", token: 1, owner: "<jobId>", from: 2, to: 31 }]
 * ```
 */
export function leaseHoldingsFromLines(run: LeaseRun): Array<LeaseHolding & { server: string }> {
	const holdings = new Array<LeaseHolding & { server: string }>();
	const open = new Map<string, { key: string; token: number; owner: string; from: number; server: string }>();
	for (const line of run.lines ?? []) {
		const [kind, key, token, owner] = line.text.match("^%[SeasonJob%] (%a+) (%S+).- token (%d+) on (%S+)");
		if (kind === undefined || key === undefined || token === undefined || owner === undefined) continue;
		const id = `${key}#${token}#${owner}`;
		if (kind === "acquired") {
			open.set(id, {
				key: key as string,
				token: tonumber(token)!,
				owner: owner as string,
				from: line.t,
				server: line.server,
			});
		} else if (kind === "released" || kind === "lost") {
			const holding = open.get(id);
			if (holding === undefined) continue;
			open.delete(id);
			holdings.push({ ...holding, to: line.t });
		}
	}
	for (const [, holding] of open) {
		const server = run.servers.find((entry) => entry.name === holding.server);
		holdings.push({ ...holding, to: server?.endedAt ?? run.duration });
	}
	return holdings;
}
