// npm start on a universe, on a small place (startFixture.js): the choreography (player actions fired as
// the client, hops, a seeded crash and its restart, a faults preset), a progress line per virtual minute,
// what clients were sent, the requests metered against the budgets, and the place's report module run
// in the auditor server; then the report the CLI builds from it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { buildStartReport, decodeRun, formatStartReport } from "../../host/startReport.js";
import { runStart, SETTINGS, VMS_HERE } from "./startFixture.js";


for (const vm of VMS_HERE) {
	test(`[${vm}] a universe start run: actions, hops, a crash and its restart, faults, progress, client events, budgets, the report`, async () => {
		const { result, lines, text } = await runStart(vm);
		assert.equal(result.ok, true, text);
		const progress = lines.filter((line) => /\[emulator\] minute \d+\/3:/.test(line));
		assert.equal(progress.length, 3, text);
		const run = decodeRun(result.run);
		assert.equal(run.stats.crashes, 1, text);
		assert.equal(run.stats.restarts, 1, text);
		assert.deepEqual(run.servers.map((server) => server.state).sort(), ["crashed", "stopped", "stopped"]);
		assert.equal(run.servers.length, 3, "two servers and the one started in place of the crashed one");
		assert.ok(run.stats.actionsSent > 20 && run.stats.hops > 2, text);
		assert.ok(run.events.some((event) => event.kind === "fault"), "the faults preset fired");
		assert.ok(run.clientEvents.length > 0 && run.clientEvents.every((item) => item.remote === "ReplicatedStorage.Remotes.Pong"));
		assert.deepEqual(run.clientEvents[0].args, ["pong", 1]);
		// graceful shutdowns ran BindToClose (the place's summaries); the crashed server's did not
		assert.equal(lines.filter((line) => line.includes("summary of")).length, 2, text);
		assert.ok(run.peaks["DataStore.StandardWrite"].units > 0 && run.peaks.MemoryStore.units > 0, JSON.stringify(run.peaks));
		assert.equal(result.report.values.pongs, run.clientEvents.length);
		// --record: the "[Fact] " lines of the three servers that ran scripts (not the auditor), no others
		assert.equal(result.report.values.facts, 3, text);
		assert.equal(result.report.values.factServer, "S1");
		const { ok, report } = buildStartReport({ ...result, run }, SETTINGS);
		assert.equal(ok, true);
		assert.equal(report.pongs, run.clientEvents.length);
		assert.equal(report.unmeasured, "not measured");
		assert.equal(report.invariants.find((item) => item.name === "something not built yet").holds, null);
		assert.equal(report.peakRequestsPerMinute.MemoryStore, run.peaks.MemoryStore.units);
		assert.ok(report.budgetPerMinute.MemoryStore >= 1000, JSON.stringify(report.budgetPerMinute));
		assert.ok(result.heapPeakKB > 0 && result.heapPeakKB < 8 * 1024, `heap ${result.heapPeakKB} KB`);
	});
}

test("records: \"stream\" sends each event and client event as an output line as it happens and leaves them out of the result; false keeps neither (npm start's big runs)", async () => {
	const quick = { duration: 120, choreography: { hopsPerPlayerMinute: 1, crashes: 0, actions: [{ remote: "ReplicatedStorage.Remotes.Ping", perPlayerMinute: 6, burst: 1, args: [1] }] } };
	const kept = await runStart("web", quick);
	const streamed = await runStart("web", { ...quick, records: "stream" });
	const none = await runStart("web", { ...quick, records: false });
	for (const { result, text } of [kept, streamed, none]) assert.equal(result.ok, true, text);
	const keptRun = decodeRun(kept.result.run);
	assert.ok(keptRun.events.length > 10 && keptRun.clientEvents.length > 0, kept.text);
	const eventLines = streamed.lines.filter((line) => line.startsWith("runEvent: ")).map((line) => line.slice("runEvent: ".length));
	const clientLines = streamed.lines.filter((line) => line.startsWith("runClientEvent: ")).map((line) => line.slice("runClientEvent: ".length));
	// the same seed gives the same run: the streamed lines are the records the result carried before
	assert.deepEqual(decodeRun({ events: eventLines, clientEvents: clientLines }).events, keptRun.events);
	assert.equal(clientLines.length, keptRun.clientEvents.length);
	assert.equal(streamed.result.run.events, undefined);
	assert.equal(streamed.result.run.clientEvents, undefined);
	assert.equal(streamed.result.run.clientEventCount, keptRun.clientEvents.length);
	assert.equal(none.result.run.events, undefined);
	assert.equal(none.lines.filter((line) => line.startsWith("runEvent: ")).length, 0);
	assert.equal(buildStartReport({ ...none.result, run: decodeRun(none.result.run) }, SETTINGS).report.clientEvents, keptRun.clientEvents.length);
});

test("a report module that errors breaks the report; one that says holds = false fails the run", async () => {
	const { result, text } = await runStart("web", { reportModule: "ReplicatedStorage.Missing", duration: 60, choreography: { crashes: 0, actions: [] } });
	assert.equal(result.ok, true, text);
	assert.match(result.reportError, /report module not found: ReplicatedStorage.Missing/);
	const broken = buildStartReport({ ...result, run: decodeRun(result.run) }, { ...SETTINGS, report: "ReplicatedStorage.Missing" });
	assert.equal(broken.ok, false);
	const failing = buildStartReport(
		{ ok: true, run: { peaks: {} }, report: { values: { doubleGrants: 2 }, invariants: [{ name: "0 double grants", holds: false, detail: "2" }] } },
		SETTINGS,
	);
	assert.equal(failing.ok, false);
	assert.equal(failing.report.doubleGrants, 2);
	// a run that crashed (luau-web out of heap, say) never reached its report: the report says so
	const crashed = buildStartReport({ ok: false, failures: ["luau-web ran out of its fixed ~16 MiB heap"], run: {} }, { ...SETTINGS, report: "ReplicatedStorage.Report" });
	assert.equal(crashed.ok, false);
	assert.equal(crashed.report.finished, false);
	assert.equal(crashed.report.invariants[0].detail, "the run did not finish, so the report never ran: luau-web ran out of its fixed ~16 MiB heap");
	assert.match(formatStartReport(crashed.report).at(-1), /THE RUN DID NOT FINISH \(exit 1\)/);
	assert.match(formatStartReport(failing.report).at(-1), /AN INVARIANT BROKE \(exit 1\)/);
	const overBudget = buildStartReport({ ok: true, run: { peaks: { MemoryStore: { units: 1300, budget: 1000, minute: 2 } } }, report: { values: {}, invariants: [] } }, SETTINGS);
	assert.equal(overBudget.ok, false);
	assert.match(overBudget.report.invariants.at(-1).detail, /MemoryStore 1300 > 1000 in minute 2/);
});
