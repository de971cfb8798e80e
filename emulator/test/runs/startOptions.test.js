// npm start's flags: one server keeps the classic demo's defaults; a universe gets the choreography's
// (30 players, 20 minutes, one crash per 5 minutes); --faults takes a documented preset; bad input is
// refused with what to do.
import { test } from "node:test";
import assert from "node:assert/strict";
import { FAULT_PRESETS, parseStartArgs } from "../../host/startOptions.js";

test("no flags: one server, 6 players, 60 s, seed 1 (the classic demo)", () => {
	const { ok, settings } = parseStartArgs([]);
	assert.equal(ok, true);
	assert.deepEqual([settings.servers, settings.players, settings.duration, settings.seed, settings.universe], [1, 6, 60, 1, false]);
});

test("the issue's command line", () => {
	const { settings } = parseStartArgs(["--servers", "3", "--players", "30", "--minutes", "20", "--seed", "7", "--faults", "--json", "--timeline", "t.html"]);
	assert.deepEqual([settings.servers, settings.players, settings.duration, settings.seed], [3, 30, 1200, 7]);
	assert.equal(settings.faults, "standard");
	assert.equal(settings.json, true);
	assert.equal(settings.timeline, "t.html");
	assert.equal(settings.choreography.crashes, 4);
});

test("a universe's defaults, and the flags that tune the choreography", () => {
	const { settings } = parseStartArgs(["--servers", "2", "--action", "ReplicatedStorage.A", "--action", "ReplicatedStorage.B", "--burst", "5", "--crashes", "0", "--faults", "harsh"]);
	assert.deepEqual([settings.players, settings.duration], [30, 1200]);
	assert.deepEqual(settings.choreography.actions.map((action) => [action.remote, action.burst, action.perPlayerMinute]), [
		["ReplicatedStorage.A", 5, 2],
		["ReplicatedStorage.B", 5, 2],
	]);
	assert.equal(settings.choreography.crashes, 0);
	assert.equal(settings.faults, "harsh");
	assert.ok(FAULT_PRESETS.harsh.some((rule) => rule.service === "DataStore" && rule.errorRate === 0.2));
	assert.equal(parseStartArgs(["--servers", "3", "--duration", "90"]).settings.duration, 90);
});

test("bad input is refused, saying what to do", () => {
	assert.match(parseStartArgs(["--faults", "lots", "--servers", "2"]).message, /--faults takes a preset \(standard, harsh, none\), got lots/);
	assert.match(parseStartArgs(["--servers", "0"]).message, /--servers needs a whole number ≥ 1/);
	assert.match(parseStartArgs(["--minutes", "2", "--duration", "60"]).message, /not both/);
	assert.match(parseStartArgs(["--faults"]).message, /need a universe: add --servers 2/);
	assert.match(parseStartArgs(["--timeline"]).message, /--timeline needs a value/);
	assert.match(parseStartArgs(["--vm", "jit"]).message, /--vm needs one of web, native/);
	assert.match(parseStartArgs(["--colour"]).message, /unknown option --colour \(known: /);
});
