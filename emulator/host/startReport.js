// The final report of `npm start` on a universe: what the place's report module returned (its values and
// invariants — the game's own checks, read in the auditor server), plus what the emulator measured
// itself (requests per minute against the budgets, crashes, hops, actions, client events, faults, heap).
// Generic: it never interprets the place's values, only copies them and honours `holds`.
//
// The report module's contract (documented in emulator/README.md): it returns
//   { values = { [name] = number | "not measured" },
//     invariants = { { name, holds = true | false | nil (nil: not measured), detail } },
//     timeline = { items for the timeline page } }

export const NOT_MEASURED = "not measured";

/**
 * @param {object} result the engine's result of a universe start run (result.run, result.report)
 * @param {object} settings parsed start settings (servers, players, duration, seed, faults)
 * @returns {{ ok: boolean, report: object }}
 */
export function buildStartReport(result, settings) {
	const run = result.run ?? {};
	// A run that crashed or was stopped (failures) never reached its report.
	const failures = result.failures ?? [];
	const placeReport = result.report ?? null;
	const invariants = [];
	const report = {
		ok: false,
		seed: settings.seed,
		servers: settings.servers,
		players: settings.players,
		minutes: Math.round((settings.duration / 60) * 100) / 100,
		faults: settings.faults ?? "none",
	};
	if (placeReport && typeof placeReport === "object") {
		for (const [name, value] of Object.entries(placeReport.values ?? {})) report[name] = value;
		for (const item of asList(placeReport.invariants)) {
			invariants.push({ name: String(item.name), holds: typeof item.holds === "boolean" ? item.holds : null, detail: String(item.detail ?? "") });
		}
	} else {
		// Say that a run which never reached its report did not finish, not that the module failed.
		const unfinished = failures[0];
		invariants.push({
			name: "the place's report",
			holds: settings.report ? false : null,
			detail: !settings.report
				? "no --report module named"
				: unfinished !== undefined
					? `the run did not finish, so the report never ran: ${unfinished}`
					: `report module ${settings.report} failed: ${result.reportError ?? "no report"}`,
		});
	}
	report.finished = failures.length === 0;
	const peaks = run.peaks ?? {};
	report.peakRequestsPerMinute = {};
	report.budgetPerMinute = {};
	const overBudget = [];
	for (const name of Object.keys(peaks).sort()) {
		report.peakRequestsPerMinute[name] = peaks[name].units;
		report.budgetPerMinute[name] = peaks[name].budget;
		if (peaks[name].units > peaks[name].budget) overBudget.push(`${name} ${peaks[name].units} > ${peaks[name].budget} in minute ${peaks[name].minute}`);
	}
	invariants.push({
		name: "peak requests per minute within the budgets",
		holds: overBudget.length === 0,
		detail:
			overBudget.length > 0
				? overBudget.join("; ")
				: Object.keys(peaks).length === 0
					? "no store requests"
					: Object.keys(peaks)
							.sort()
							.map((name) => `${name} ${peaks[name].units}/${peaks[name].budget}`)
							.join(", "),
	});
	const stats = run.stats ?? {};
	Object.assign(report, {
		crashes: stats.crashes ?? 0,
		restarts: stats.restarts ?? 0,
		hops: stats.hops ?? 0,
		actionsSent: stats.actionsSent ?? 0,
		clientEvents: run.clientEventCount ?? asList(run.clientEvents).length,
		faultsInjected: stats.faults ?? 0,
		heapPeakKB: result.heapPeakKB ?? null,
		virtualSeconds: run.duration ?? null,
	});
	report.invariants = invariants;
	report.ok = result.ok === true && invariants.every((item) => item.holds !== false);
	return { ok: report.ok, report };
}

/** The report as lines for the terminal. */
export function formatStartReport(report) {
	const lines = ["[report] invariants:"];
	for (const item of report.invariants) {
		const mark = item.holds === true ? "holds" : item.holds === false ? "BROKEN" : NOT_MEASURED;
		lines.push(`[report]   ${mark.padEnd(12)} ${item.name}${item.detail ? ` — ${item.detail}` : ""}`);
	}
	lines.push(
		`[report] ${report.crashes} crash(es), ${report.restarts} restart(s), ${report.hops} hop(s), ${report.actionsSent} actions sent, ` +
			`${report.clientEvents} client events, ${report.faultsInjected} faults injected; peak Luau heap ${report.heapPeakKB} KB`,
	);
	const verdict = report.ok
		? "every measured invariant holds"
		: report.finished === false
			? "THE RUN DID NOT FINISH (exit 1): see FAILED above"
			: "AN INVARIANT BROKE (exit 1)";
	lines.push(`[report] ${verdict}`);
	return lines;
}

/**
 * The run's records as objects: the engine keeps each as one string (engine/StartRun.luau), events as
 * "t|kind|server|userId|text" and client events as "t|server|userId|remote|argsJson".
 * @returns {object} run with events [{ t, kind, server, userId, text }] and clientEvents [{ t, server, userId, remote, args }]
 */
export function decodeRun(run) {
	if (!run) return run;
	const split = (line, count) => {
		const parts = String(line).split("|");
		return [...parts.slice(0, count - 1), parts.slice(count - 1).join("|")];
	};
	const events = asList(run.events).map((line) => {
		const [t, kind, server, userId, text] = split(line, 5);
		return { t: Number(t), kind, server: server || null, userId: userId ? Number(userId) : null, text };
	});
	const clientEvents = asList(run.clientEvents).map((line) => {
		const [t, server, userId, remote, args] = split(line, 5);
		let parsed;
		try {
			parsed = asList(JSON.parse(args));
		} catch {
			parsed = [];
		}
		return { t: Number(t), server, userId: Number(userId), remote, args: parsed };
	});
	return { ...run, servers: asList(run.servers), events, clientEvents };
}

// Luau arrays come back as JSON arrays, empty ones as {} (an empty table): both read as a list.
export function asList(value) {
	if (Array.isArray(value)) return value;
	if (value && typeof value === "object") return Object.values(value);
	return [];
}
