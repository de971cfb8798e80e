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

test("a server that stops loses its MessagingService subscriptions in the cloud (they held its engine copy)", async () => {
	const { result, lines, text } = await runScenario(`
		local a = universe:startServer()
		local b = universe:startServer()
		for _, server in { a, b } do
			server:run(function(g) g.game:GetService("MessagingService"):SubscribeAsync("news", function() end) end)
		end
		local backend = universe.cloud:backend("Messaging", function() error("no Messaging backend") end)
		print("before", #backend.topics.news)
		a:crash()
		print("after crash", #backend.topics.news, backend.topics.news[1].server == b.context)
		b:shutdown()
		print("after shutdown", backend.topics.news == nil)
	`);
	assert.equal(result.ok, true, text);
	assert.deepEqual(printed(lines), ["before 2", "after crash 1 true", "after shutdown true"]);
});
