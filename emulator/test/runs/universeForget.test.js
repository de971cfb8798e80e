// universe:forget(server): a dead server's engine copy leaves the universe (long start runs replace
// crashed servers), its handle still answers state(), running ones are refused, names keep counting.
import { test } from "node:test";
import assert from "node:assert/strict";
import { printed, runScenario } from "./universeFixture.js";

test("universe:forget drops a crashed server, refuses a running one, and the next server gets a new name", async () => {
	const { result, lines, text } = await runScenario(`
		local a = universe:startServer()
		local b = universe:startServer()
		print("running refused", (pcall(universe.forget, universe, b)))
		print(select(2, pcall(universe.forget, universe, b)))
		a:crash()
		universe:forget(a)
		print("state", a:state(), "game", a.game == nil, "servers", #universe:servers())
		print(select(2, pcall(a.require, a, "ReplicatedStorage.Scenario")))
		print("next", universe:startServer().name)
		print(select(2, pcall(universe.forget, universe, {})))
	`);
	assert.equal(result.ok, true, text);
	const out = printed(lines);
	assert.deepEqual(out.slice(0, 1), ["running refused false"]);
	assert.match(out[1], /universe:forget: server S2 is running; crash it or shut it down first/);
	assert.equal(out[2], "state crashed game true servers 1");
	assert.match(out[3], /server:require: server S1 is crashed/);
	assert.equal(out[4], "next S3");
	assert.match(out[5], /InvalidArgument: universe:forget: server got/);
});
