// Several servers on one virtual clock: each is its own Luau state (own DataModel, module cache and
// globals), and a host steps them in time order. This is what cross-server tests build on.
import { test } from "node:test";
import assert from "node:assert/strict";
import { LuauServer } from "../../host/LuauServer.js";

const serverPlace = (tickEvery) => ({
	name: "Place",
	className: "DataModel",
	children: [
		{
			name: "ServerScriptService",
			className: "ServerScriptService",
			children: [
				{
					name: "main",
					className: "Script",
					source: `_G.ticks = 0
					for _ = 1, 3 do
						task.wait(${tickEvery})
						_G.ticks += 1
						print(game.JobId, "tick", _G.ticks, "at", os.clock())
					end`,
					children: [],
				},
			],
		},
	],
});

test("two servers stepped on one clock interleave in time order and share nothing", async () => {
	const lines = [];
	const boot = (jobId, every) =>
		LuauServer.boot(serverPlace(every), { mode: "script", jobId }, (kind, text) => lines.push(text));
	const servers = [await boot("A", 1), await boot("B", 1.5)];
	for (const server of servers) await server.startScripts();
	// the host's loop: always advance the server whose next event is earliest
	let wakes = await Promise.all(servers.map((server) => server.step(0)));
	while (wakes.some((wake) => wake >= 0)) {
		const next = Math.min(...wakes.filter((wake) => wake >= 0));
		for (let index = 0; index < servers.length; index++) {
			if (wakes[index] >= 0 && wakes[index] <= next) wakes[index] = await servers[index].step(next);
		}
	}
	assert.deepEqual(lines, [
		"A tick 1 at 1",
		"B tick 1 at 1.5",
		"A tick 2 at 2",
		"A tick 3 at 3",
		"B tick 2 at 3",
		"B tick 3 at 4.5",
	]);
});
