#!/usr/bin/env node
// `npm start`: compiles the game, boots default.project.json in the offline Roblox server, runs its
// Server Scripts, lets simulated players join, runs the virtual clock, then shuts the servers down
// (PlayerRemoving, BindToClose) and exits non-zero if anything went wrong.
// The DataStores are kept in .emulator-store.json (git-ignored) between runs, so a second run sees what
// the first one saved; --fresh starts empty (and overwrites the file).
//
//   npm start -- --players 8 --duration 90 --seed 3     one server, exactly the classic demo
//   npm start -- --servers 3 --players 30 --minutes 20 --seed 7 --faults
//       a universe: hops, player actions (--action PATH: a RemoteEvent fired as the client, in bursts),
//       crashes and restarts, a faults preset; a progress line per virtual minute; then the place's
//       report module (--report PATH) runs in a fresh auditor server and its invariants are printed
//   ... --json                 the report as ONE JSON object on stdout (every other line goes to stderr)
//   ... --timeline run.html    a self-contained page of the run (emulator/host/timeline.js)
//   npm start -- --vm native   on the official native Luau CLI (LUAU_BIN, else luau on PATH)
// Flags and defaults: emulator/host/startOptions.js; the report: emulator/host/startReport.js.
import { writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { preparePlace } from "../host/preparePlace.js";
import { runServer, VMS } from "../host/runServer.js";
import { findNativeLuau } from "../host/findNativeLuau.js";
import { formatLine, printFailure } from "../host/output.js";
import { readStoreFile, STORE_FILE, writeStoreFile } from "../host/storeFile.js";
import { FAULT_PRESETS, parseStartArgs } from "../host/startOptions.js";
import { buildStartReport, decodeRun, formatStartReport } from "../host/startReport.js";
import { renderTimeline } from "../host/timeline.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const parsed = parseStartArgs(process.argv.slice(2), VMS);
if (!parsed.ok) {
	printFailure(parsed.message);
	process.exit(2);
}
const settings = parsed.settings;
// --json: stdout carries the report object only; everything a run prints goes to stderr
const out = settings.json ? process.stderr : process.stdout;
const say = (kind, text) => out.write(formatLine(kind, text) + "\n");
const failLine = (text) => out.write(`${text}\n`);
// The timeline's records arrive as output lines while the run goes (engine/StartRun.luau: a result
// that carried them ran luau-web's fixed heap out at the hand-over); everything else is printed.
const streamed = { events: [], clientEvents: [] };
const collectRecords = (kind, text) => {
	if (kind === "runEvent") streamed.events.push(text);
	else if (kind === "runClientEvent") streamed.clientEvents.push(text);
	else say(kind, text);
};

const NAMES = ["Builderman", "Noob", "Guest_1", "Kaito", "Mila", "Zed", "Ava", "Bo", "Cyra", "Dax", "Eli", "Fay"];
const players = Array.from({ length: settings.players }, (_, index) => ({
	userId: 1001 + index,
	name: NAMES[index % NAMES.length] + (index >= NAMES.length ? `_${index}` : ""),
}));

const nativeLuau = settings.vm === "native" ? findNativeLuau() : null;
if (nativeLuau && !nativeLuau.ok) {
	printFailure(nativeLuau.message);
	process.exit(2);
}

const storePath = join(root, STORE_FILE);
const stored = settings.fresh ? { ok: true, snapshot: null } : readStoreFile(storePath);
if (!stored.ok) {
	printFailure(stored.message);
	process.exit(2);
}

const place = preparePlace({ root, project: "default.project.json" });
if (!place.ok) {
	printFailure(place.message);
	process.exit(1);
}
const serversText = settings.servers === 1 ? "server shuts" : `${settings.servers} servers shut`;
say(
	"info",
	`[emulator] booting default.project.json: ${players.length} simulated player(s) join at ${settings.joinAt} s, ` +
		`${serversText} down at ${settings.duration} s (virtual), seed ${settings.seed}, ` +
		(nativeLuau ? `on native Luau (${nativeLuau.path})` : "on luau-web"),
);
if (settings.universe) {
	const { choreography } = settings;
	say(
		"info",
		`[emulator] universe run: ${choreography.hopsPerPlayerMinute} hop(s) per player-minute, ${choreography.crashes} crash(es) ` +
			`(a new server ${choreography.restartAfter} s later), actions ${choreography.actions.map((action) => action.remote).join(", ") || "none"}, ` +
			`faults ${settings.faults ?? "none"}${settings.report ? `, report ${settings.report}` : ""}`,
	);
}
if (stored.snapshot) {
	const names = Object.keys(stored.snapshot.backends);
	const savedAt = new Date(stored.snapshot.clock * 1000).toISOString();
	say("info", `[emulator] stores from ${STORE_FILE} (saved at ${savedAt} store time): ${names.join(", ") || "none kept"}`);
} else {
	say("info", `[emulator] stores start empty${settings.fresh ? " (--fresh)" : ""}; they are kept in ${STORE_FILE}`);
}
const wallStart = Date.now();
const result = await runServer(
	place.tree,
	{
		mode: "start",
		seed: settings.seed,
		players,
		joinAt: settings.joinAt,
		duration: settings.duration,
		servers: settings.servers,
		persist: true,
		...(settings.universe
			? {
					choreography: settings.choreography,
					faults: FAULT_PRESETS[settings.faults ?? "none"],
					...(settings.report ? { reportModule: settings.report } : {}),
					record: settings.record,
					// the run's event lists stream as output lines, and only for the timeline (they were most of the result)
					records: settings.timeline ? "stream" : false,
				}
			: {}),
		...(stored.snapshot ? { cloudSnapshot: stored.snapshot } : {}),
		wallTimeout: 300,
		vm: settings.vm,
		...(nativeLuau ? { luauBin: nativeLuau.path } : {}),
	},
	collectRecords,
);
const wallSeconds = (Date.now() - wallStart) / 1000;
if (settings.timeline && result.run) Object.assign(result.run, streamed);
if (result.heapKB) say("info", `[emulator] Luau heap with every server and player up (gcinfo, garbage included): ${result.heapKB} KB`);
if (result.cloudSnapshot) writeStoreFile(storePath, result.cloudSnapshot);
for (const failure of result.failures ?? []) failLine(`FAILED: ${failure}`);
if (!settings.universe) process.exit(result.ok ? 0 : 1);

result.run = decodeRun(result.run);
const { ok, report } = buildStartReport(result, settings);
report.wallSeconds = wallSeconds;
if (settings.timeline && result.run) {
	const path = resolve(settings.timeline);
	writeFileSync(path, renderTimeline(result.run, result.report ?? null, { title: `${settings.servers} servers, seed ${settings.seed}, faults ${settings.faults ?? "none"}` }));
	say("info", `[emulator] timeline written to ${path}`);
}
for (const line of formatStartReport(report)) say(ok ? "info" : "error", line);
say("info", `[emulator] ${Math.round(report.virtualSeconds ?? 0)} virtual seconds in ${wallSeconds.toFixed(1)} s of real time`);
if (settings.json) process.stdout.write(JSON.stringify(report) + "\n");
process.exit(ok ? 0 : 1);
