// The engine driven directly on small DataModels: require's errors, shutdown, watchdogs, players.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { runServer } from "../../host/runServer.js";
import { repoRoot } from "./placeFixture.js";

const promiseSource = readFileSync(`${repoRoot}/node_modules/roblox-ts/include/Promise.lua`, "utf8");

const module = (name, source, children = []) => ({ name, className: "ModuleScript", source, children });
const script = (name, source) => ({ name, className: "Script", source, children: [] });

function place(serverScripts, modules = []) {
	return {
		name: "Fixture",
		className: "DataModel",
		children: [
			{ name: "ServerScriptService", className: "ServerScriptService", children: serverScripts },
			{ name: "ReplicatedStorage", className: "ReplicatedStorage", children: modules },
		],
	};
}

async function run(tree, options = {}) {
	const lines = [];
	const result = await runServer(tree, { mode: "script", shutdownAfter: 10, ...options }, (kind, text) =>
		lines.push(`${kind}: ${text}`),
	);
	return { result, lines, text: lines.join("\n") };
}

test("require caches a module: its body runs once and every caller gets the same value", async () => {
	const { result, text } = await run(
		place(
			[script("main", `local a = require(game.ReplicatedStorage.Counter) local b = require(game.ReplicatedStorage.Counter) print("same", a == b, a.loads)`)],
			[module("Counter", `_G.loads = (_G.loads or 0) + 1 return { loads = _G.loads }`)],
		),
	);
	assert.equal(result.ok, true, text);
	assert.match(text, /print: same true 1/);
});

test("require of a module that errored reports Roblox's message, also on later requires", async () => {
	const { result, text } = await run(
		place(
			[
				script(
					"main",
					`for i = 1, 2 do local ok, err = pcall(require, game.ReplicatedStorage.Broken) print("attempt", i, ok, err) end`,
				),
			],
			[module("Broken", `error("broken on purpose")`)],
		),
	);
	assert.equal(result.ok, true, text);
	assert.match(text, /error: ReplicatedStorage\.Broken:1: broken on purpose/);
	assert.match(text, /print: attempt 1 false .*Requested module experienced an error while loading/);
	assert.match(text, /print: attempt 2 false .*Requested module experienced an error while loading/);
	// the module's own error is printed once, when it ran
	assert.equal(text.match(/broken on purpose/g).length, 1);
});

test("a module that requires itself through another is refused as recursive", async () => {
	const { text } = await run(
		place(
			[script("main", `local ok, err = pcall(require, game.ReplicatedStorage.A) print("result", ok, err)`)],
			[module("A", `require(script.Parent.B) return 1`), module("B", `require(script.Parent.A) return 2`)],
		),
	);
	assert.match(text, /Requested module was required recursively/);
	assert.match(text, /print: result false/);
});

test("a module that returns nothing is refused with Roblox's message", async () => {
	const { text } = await run(
		place(
			[script("main", `local ok, err = pcall(require, game.ReplicatedStorage.Empty) print("result", ok, err)`)],
			[module("Empty", `local x = 1`)],
		),
	);
	assert.match(text, /print: result false .*Module code did not return exactly one value/);
});

test("a module loading while it yields is shared: a second requirer waits for the same value", async () => {
	const { result, text } = await run(
		place(
			[
				script(
					"main",
					`task.spawn(function() print("first", require(game.ReplicatedStorage.Slow).id) end)
					print("second", require(game.ReplicatedStorage.Slow).id)`,
				),
			],
			[module("Slow", `task.wait(1) _G.n = (_G.n or 0) + 1 return { id = _G.n }`)],
		),
	);
	assert.equal(result.ok, true, text);
	assert.match(text, /print: first 1/);
	assert.match(text, /print: second 1/);
});

test("at shutdown players leave first, then every BindToClose callback runs and is waited for", async () => {
	const { result, text } = await run(
		place([
			script(
				"main",
				`local Players = game:GetService("Players")
				Players.PlayerAdded:Connect(function(p) print("joined", p.Name, p.UserId) end)
				Players.PlayerRemoving:Connect(function(p) print("leaving", p.Name) end)
				game:BindToClose(function() task.wait(5) print("saved at", os.clock()) end)
				game:BindToClose(function() print("second callback") end)`,
			),
		]),
		{ mode: "start", players: [{ userId: 7, name: "Ana" }], joinAt: 1, duration: 20 },
	);
	assert.equal(result.ok, true, text);
	assert.equal(result.bindToCloseCallbacks, 2);
	const order = text.split("\n").filter((line) => line.startsWith("print:"));
	assert.deepEqual(order, ["print: joined Ana 7", "print: leaving Ana", "print: second callback", "print: saved at 25"]);
});

test("Player:Kick fires PlayerRemoving and removes the player", async () => {
	const { result, text } = await run(
		place([
			script(
				"main",
				`local Players = game:GetService("Players")
				Players.PlayerRemoving:Connect(function(p) print("removing", p.Name) end)
				Players.PlayerAdded:Connect(function(p) task.wait(1) p:Kick("bad data") task.wait() print("left", #Players:GetPlayers(), p.Parent) end)`,
			),
		]),
		{ mode: "start", players: [{ userId: 1, name: "Bo" }], duration: 5 },
	);
	assert.equal(result.ok, true, text);
	assert.match(text, /Bo was kicked: bad data/);
	assert.match(text, /print: removing Bo/);
	assert.match(text, /print: left 0 nil/);
});

test("an unhandled Promise rejection fails the run; a handled one does not", async () => {
	const unhandled = await run(
		place([script("main", `local Promise = require(game.ReplicatedStorage.Promise) Promise.reject("nobody catches this")`)], [
			module("Promise", promiseSource),
		]),
	);
	assert.equal(unhandled.result.ok, false, unhandled.text);
	assert.match(unhandled.result.failures.join("\n"), /Unhandled Promise rejection:[\s\S]*nobody catches this/);

	const handled = await run(
		place(
			[script("main", `local Promise = require(game.ReplicatedStorage.Promise) Promise.reject("caught"):catch(function(e) print("handled", e) end)`)],
			[module("Promise", promiseSource)],
		),
	);
	assert.equal(handled.result.ok, true, handled.text);
	assert.match(handled.text, /print: handled caught/);
});

test("the virtual-time watchdog stops a run that never ends", async () => {
	const { result } = await run(place([script("main", `while true do task.wait(60) end`)]), {
		shutdownAfter: 1e9,
		virtualTimeout: 3600,
	});
	assert.equal(result.ok, false);
	assert.match(result.failures[0], /virtual-time watchdog: the run passed 3600 s/);
});

test("the wall-time watchdog stops a Luau loop that never yields", async () => {
	const started = Date.now();
	const { result } = await run(place([script("main", `while true do end`)]), { wallTimeout: 1, killGrace: 1 });
	assert.equal(result.ok, false);
	assert.match(result.failures[0], /wall-time watchdog/);
	assert.ok(Date.now() - started < 30_000);
});

test("a WaitForChild that waits past 5 s warns once with the full name", async () => {
	const { text } = await run(place([script("main", `task.spawn(function() workspace:WaitForChild("Nope") end)`)]));
	assert.match(text, /warn: Infinite yield possible on 'Workspace:WaitForChild\("Nope"\)'/);
	assert.equal(text.match(/Infinite yield/g).length, 1);
});

test("only server scripts run: Legacy ones under Workspace/ServerScriptService, Server ones anywhere", async () => {
	const withContext = (name, context) => ({ ...script(name, `print("ran", script.Name)`), properties: { RunContext: context } });
	const tree = place([script("legacy", `print("ran", script.Name)`), withContext("plugin", "Plugin"), withContext("client", "Client")], [
		withContext("serverInStorage", "Server"),
		script("legacyInStorage", `print("ran", script.Name)`),
		{ name: "local", className: "LocalScript", source: `print("ran", script.Name)`, children: [] },
	]);
	const { result, text } = await run(tree, { shutdownAfter: 0 });
	assert.equal(result.ok, true, text);
	const ran = text.split("\n").filter((line) => line.startsWith("print: ran")).sort();
	assert.deepEqual(ran, ["print: ran legacy", "print: ran serverInStorage"]);
});

test("math.random comes from the server's seed: the same seed draws the same numbers, another seed others", async () => {
	const draws = `
		print("draws", math.random(), math.random(6), math.random(10, 20), math.random(-3, -3))
		math.randomseed(42)
		local first = { math.random(1000), math.random(1000), math.random(1000) }
		math.randomseed(42)
		print("reseeded alike", first[1] == math.random(1000) and first[2] == math.random(1000) and first[3] == math.random(1000))
		local inRange = true
		for _ = 1, 2000 do
			local value = math.random(3, 5)
			if value < 3 or value > 5 or value % 1 ~= 0 then inRange = false end
			local unit = math.random()
			if unit < 0 or unit >= 1 then inRange = false end
		end
		print("in range", inRange)
		print(pcall(math.random, 0))
		print(pcall(math.random, 5, 4))
		print(pcall(math.random, "6"))
		print("rest of math", math.floor(2.5), math.pi == 3.141592653589793)
	`;
	const first = await run(place([script("main", draws)]), { seed: 5 });
	const again = await run(place([script("main", draws)]), { seed: 5 });
	const other = await run(place([script("main", draws)]), { seed: 6 });
	assert.equal(first.result.ok, true, first.text);
	const drawn = (text) => text.match(/print: draws (.*)/)[1];
	assert.equal(drawn(again.text), drawn(first.text));
	assert.notEqual(drawn(other.text), drawn(first.text));
	assert.match(first.text, /print: draws 0\.\d+ [1-6] (1\d|20) -3\n/);
	assert.match(first.text, /print: reseeded alike true/);
	assert.match(first.text, /print: in range true/);
	assert.match(first.text, /print: false .*invalid argument #1 to 'random' \(interval is empty\)/);
	assert.match(first.text, /print: false .*invalid argument #2 to 'random' \(interval is empty\)/);
	assert.match(first.text, /print: false .*invalid argument #1 to 'random' \(number expected, got string\)/);
	assert.match(first.text, /print: rest of math 2 true/);
});

test("running out of luau-web's fixed heap says so and what to do, not emscripten's compiler flags", async () => {
	const { result, text } = await run(
		place([script("main", `local held = {} for i = 1, 1e7 do held[i] = string.rep("x", 200) .. i end print("never")`)]),
	);
	assert.equal(result.ok, false, text);
	assert.equal(result.failures.length, 1, text);
	assert.match(result.failures[0], /^luau-web ran out of its fixed ~16 MiB heap \(it had to grow to 1\d\.\d MiB, and the WASM build cannot\)/);
	assert.match(result.failures[0], /run it on native Luau \(--vm native/);
	assert.match(result.failures[0], /The VM said: Cannot enlarge memory arrays to size \d+ bytes \(OOM\)$/);
	assert.doesNotMatch(result.failures[0], /INITIAL_MEMORY/);
});

test("LogService.MessageOut fires for the scripts' print and warn, with the message type; a print in a handler fires nothing again", async () => {
	const { result, text } = await run(
		place([
			script(
				"main",
				`
				local LogService = game:GetService("LogService")
				local seen = {}
				LogService.MessageOut:Connect(function(message, messageType)
					table.insert(seen, messageType.Name .. "=" .. message)
					print("from the handler")
				end)
				print("hello", 1)
				warn("careful")
				local copy = table.concat(seen, "|")
				print("seen", #seen, copy, typeof(Enum.MessageType.MessageError), Enum.MessageType.MessageWarning.Value)
				`,
			),
		]),
	);
	assert.equal(result.ok, true, text);
	assert.match(text, /print: seen 2 MessageOutput=hello 1\|MessageWarning=careful EnumItem 2\n/);
	assert.equal(text.match(/print: from the handler/g).length, 3, text);
});
