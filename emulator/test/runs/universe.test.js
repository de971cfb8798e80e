// A universe of servers in one Luau state on one virtual clock (engine/Universe.luau), on every VM here:
// servers interleave in time order and share one Cloud backend but nothing else; a crash stops every
// thread of its server with no BindToClose and no PlayerRemoving; a graceful shutdown runs them for at
// most 30 s; a player is in one server at a time; os.time() skew; the same seed gives the same run.
import { test } from "node:test";
import assert from "node:assert/strict";
import { printed, runScenario, scriptNode, moduleNode, VMS_HERE } from "./universeFixture.js";

for (const vm of VMS_HERE) {
	test(`[${vm}] two servers interleave on one clock, share a cloud backend and nothing else`, async () => {
		const { result, lines, text } = await runScenario(
			`
			local store = universe.cloud:backend("TestCounter", function() return { value = 0 } end)
			local a = universe:startServer({ name = "A", jobId = "job-a" })
			local b = universe:startServer({ name = "B", jobId = "job-b" })
			local function worker(g, shared, every)
				local counter = g.require(g.game.ReplicatedStorage.Counter)
				for _ = 1, 3 do
					g.task.wait(every)
					shared.value += 1
					counter.bump()
					g.print(g.game.JobId, "wrote", shared.value, "own", counter.count, "at", g.os.clock())
				end
			end
			a:spawn(worker, store, 1)
			b:spawn(worker, store, 1.5)
			universe:advance(5)
			a:run(function(g) g._G.mark = "A" end)
			print("b sees A's _G:", b:run(function(g) return g._G.mark end))
			print("same module table:", a:require("ReplicatedStorage.Counter") == b:require("ReplicatedStorage.Counter"))
			print("total", store.value)
			`,
			{ vm, modules: [moduleNode("Counter", "local m = { count = 0 } function m.bump() m.count += 1 end return m")] },
		);
		assert.equal(result.ok, true, text);
		assert.deepEqual(printed(lines), [
			"[A] job-a wrote 1 own 1 at 1",
			"[B] job-b wrote 2 own 1 at 1.5",
			"[A] job-a wrote 3 own 2 at 2",
			"[B] job-b wrote 4 own 2 at 3",
			"[A] job-a wrote 5 own 3 at 3",
			"[B] job-b wrote 6 own 3 at 4.5",
			"b sees A's _G: nil",
			"same module table: false",
			"total 6",
		]);
	});

	test(`[${vm}] a crash stops every thread of its server at once: no BindToClose, no PlayerRemoving`, async () => {
		const place = scriptNode(
			"main",
			`
			local Players = game:GetService("Players")
			game:BindToClose(function() print("BindToClose ran") end)
			Players.PlayerRemoving:Connect(function(player) print("PlayerRemoving", player.UserId) end)
			Players.PlayerAdded:Connect(function(player)
				-- a handler's threads: a loop it spawned, and itself waiting on a child that never comes
				task.spawn(function()
					while true do
						task.wait(1)
						print("loop", player.UserId, os.clock())
					end
				end)
				task.delay(3, function() print("delayed", player.UserId) end)
				workspace:WaitForChild("NeverThere", 100)
				print("wait ended", player.UserId)
			end)
			-- a thread waiting on a signal, and a handler of it: nothing may run them once the server is gone
			local poke = Instance.new("BindableEvent")
			poke.Name = "Poke"
			poke.Parent = workspace
			poke.Event:Connect(function() print("poke handler ran") end)
			task.spawn(function()
				poke.Event:Wait()
				print("poke waiter ran")
			end)
			local beats = 0
			game:GetService("RunService").Heartbeat:Connect(function()
				beats += 1
				workspace:SetAttribute("beats", beats)
			end)
			`,
		);
		const { result, lines, text } = await runScenario(
			`
			local a = universe:startServer({ name = "A", startScripts = true })
			local b = universe:startServer({ name = "B", startScripts = true })
			universe:join(1, a)
			universe:join(2, b)
			universe:advance(2.5)
			a:crash()
			print("state", a:state(), a:isRunning(), a.context.isRunning(), "player 1 in", universe:serverOf(1))
			print("cloud servers", #universe.cloud:servers(), "users", universe.cloud:totalUsers())
			local beats = a.game.Workspace:GetAttribute("beats")
			a.game.Workspace.Poke:Fire()
			universe:advance(5)
			print("beats stopped", a.game.Workspace:GetAttribute("beats") == beats)
			local ok, err = pcall(function() return a:run(function() end) end)
			print("run on a crashed server:", ok, err)
			local joined, joinErr = pcall(function() return universe:join(1, a) end)
			print("join a crashed server:", joined, joinErr)
			`,
			{ vm, scripts: [place] },
		);
		assert.equal(result.ok, true, text);
		const out = printed(lines);
		// A's loop ran twice before the crash at 2.5 s, never after; B's kept going
		assert.deepEqual(
			out.filter((line) => line.includes("loop")),
			["[A] loop 1 1", "[B] loop 2 1", "[A] loop 1 2", "[B] loop 2 2", "[B] loop 2 3", "[B] loop 2 4", "[B] loop 2 5", "[B] loop 2 6", "[B] loop 2 7"],
		);
		assert.ok(out.includes("[B] delayed 2"), text);
		assert.ok(!out.includes("[A] delayed 1"), text);
		assert.ok(!text.includes("BindToClose ran"), text);
		assert.ok(!text.includes("PlayerRemoving"), text);
		assert.ok(!text.includes("wait ended"), text);
		assert.ok(!text.includes("poke"), text);
		assert.ok(out.includes("state crashed false false player 1 in nil"), text);
		assert.ok(out.includes("cloud servers 1 users 1"), text);
		assert.ok(out.includes("beats stopped true"), text);
		assert.match(text, /run on a crashed server: false .*server A is crashed/);
		assert.match(text, /join a crashed server: false .*server A is crashed/);
	});

	test(`[${vm}] a graceful shutdown: PlayerRemoving, then BindToClose for at most 30 s, then nothing runs`, async () => {
		const place = scriptNode(
			"main",
			`
			local Players = game:GetService("Players")
			Players.PlayerRemoving:Connect(function(player) print("PlayerRemoving", player.UserId, os.clock()) end)
			game:BindToClose(function(reason)
				print("save start", os.clock(), reason, typeof(reason), reason == Enum.CloseReason.DeveloperShutdown)
				task.wait(10)
				print("saved", os.clock())
			end)
			game:BindToClose(function()
				task.wait(100)
				print("slow callback finished")
			end)
			`,
		);
		const { result, lines, text } = await runScenario(
			`
			local a = universe:startServer({ name = "A", startScripts = true })
			universe:join(1, a)
			universe:advance(1)
			local started = os.clock()
			local summary = a:shutdown()
			print("shutdown took", os.clock() - started, "callbacks", summary.callbacks, "timedOut", summary.timedOut)
			print("state", a:state(), "player 1 in", universe:serverOf(1))
			universe:advance(200)
			`,
			{ vm, scripts: [place] },
		);
		assert.equal(result.ok, true, text + JSON.stringify(result.failures));
		assert.deepEqual(printed(lines), [
			"[A] PlayerRemoving 1 1",
			"[A] save start 1 Enum.CloseReason.DeveloperShutdown EnumItem true",
			"[A] saved 11",
			"shutdown took 30 callbacks 2 timedOut true",
			"state stopped player 1 in nil",
		]);
		assert.match(text, /\[A\] \[emulator\] 1 BindToClose callback\(s\) still running after 30 s/);
	});

	test(`[${vm}] a player is in at most one server: join refuses a second, hop leaves then joins a moment later`, async () => {
		const place = scriptNode(
			"main",
			`
			local Players = game:GetService("Players")
			Players.PlayerAdded:Connect(function(player) print("PlayerAdded", player.UserId, time()) end)
			Players.PlayerRemoving:Connect(function(player) print("PlayerRemoving", player.UserId, time()) end)
			`,
		);
		const { result, lines, text } = await runScenario(
			`
			local a = universe:startServer({ name = "A", startScripts = true })
			local b = universe:startServer({ name = "B", startScripts = true })
			local c = universe:startServer({ name = "C", startScripts = true })
			local most = 0
			task.spawn(function()
				while true do
					local count = 0
					for _, server in { a, b, c } do
						if server:isRunning() and server.game.Players:GetPlayerByUserId(7) then
							count += 1
						end
					end
					most = math.max(most, count)
					task.wait()
				end
			end)
			universe:join(7, a)
			print(pcall(function() universe:join(7, b) end))
			task.delay(0.5, function() print("mid-hop in", universe:serverOf(7)) end)
			universe:hop(7, b)
			print("after hop", universe:serverOf(7).name, os.clock())
			print(pcall(function() universe:hop(7, b) end))
			c:crash()
			print(pcall(function() universe:hop(7, c) end))
			universe:advance(0.5)
			universe:leave(7)
			print("after leave", universe:serverOf(7))
			print("most servers at once", most)
			`,
			{ vm, scripts: [place] },
		);
		assert.equal(result.ok, true, text);
		const out = printed(lines).map((line) => line.replace(/^false .*?:\d+: /, "false "));
		assert.deepEqual(out.slice(0, 6), [
			"[A] PlayerAdded 7 0",
			"false universe:join: player 7 is already in server A; use universe:hop(7, server) or universe:leave(7) first",
			"[A] PlayerRemoving 7 0",
			"mid-hop in nil",
			"[B] PlayerAdded 7 1",
			"after hop B 1",
		]);
		assert.equal(out[6], "false universe:hop: player 7 is already in server B");
		assert.match(out[7], /^false universe:hop: server C is crashed/);
		assert.deepEqual(out.slice(8), ["[B] PlayerRemoving 7 1.5", "after leave nil", "most servers at once 1"]);
	});

	test(`[${vm}] os.time() is skewed per server; the stores' clock and os.clock since start are not`, async () => {
		const { result, lines, text } = await runScenario(
			`
			local function read(g)
				return string.format("os.time %d tick %d DateTime %d os.clock %g time %g",
					g.os.time(), math.floor(g.tick()), g.DateTime.now().UnixTimestamp, g.os.clock(), g.time())
			end
			local a = universe:startServer({ name = "A" })
			local b = universe:startServer({ name = "B", osTimeSkew = -90 })
			universe:advance(10)
			local c = universe:startServer({ name = "C", osTimeSkew = 30 })
			universe:advance(2)
			for _, server in { a, b, c } do
				print(server.name, server:run(read), "skew", server.context.osTimeSkew)
			end
			print("cloud clock", universe.cloud:clock(), "elapsed", universe.cloud:elapsed())
			`,
			{ vm, options: { epoch: 1_800_000_000 } },
		);
		assert.equal(result.ok, true, text);
		assert.deepEqual(printed(lines), [
			"A os.time 1800000012 tick 1800000012 DateTime 1800000012 os.clock 12 time 12 skew 0",
			"B os.time 1799999922 tick 1799999922 DateTime 1799999922 os.clock 12 time 12 skew -90",
			"C os.time 1800000042 tick 1800000042 DateTime 1800000042 os.clock 2 time 2 skew 30",
			"cloud clock 1800000012 elapsed 12",
		]);
	});

	test(`[${vm}] bad input is refused naming the method, the argument and what to do; '.' calls are told to use ':'`, async () => {
		const { result, lines, text } = await runScenario(
			`
			local a = universe:startServer({ name = "A" })
			for _, attempt in {
				function() universe:join("7", a) end,
				function() universe:join(7, {}) end,
				function() universe.join(7, a) end,
				function() a.run(function() end) end,
				function() a:run("not a function") end,
				function() universe:advance(-1) end,
				function() universe:startServer({ osTimeSkew = "1" }) end,
				function() a:require("ReplicatedStorage.Missing") end,
			} do
				print(select(2, pcall(attempt)))
			end
			print("servers", #universe:servers(), "player 7 in", universe:serverOf(7))
			`,
			{ vm },
		);
		assert.equal(result.ok, true, text);
		const out = printed(lines).map((line) => line.replace(/^.*?:\d+: /, ""));
		assert.deepEqual(out, [
			'InvalidArgument: universe:join: userId got "7" (string); pass a positive whole number (a Player.UserId)',
			"InvalidArgument: universe:join: server got table: ADDR (table); pass a server this universe's startServer returned".replace(
				"table: ADDR",
				out[1].match(/table: 0x[0-9a-f]+/)?.[0] ?? "table: ?",
			),
			"InvalidArgument: call universe:join(...) with ':' (it was called with '.')",
			"InvalidArgument: call server:run(...) with ':' (it was called with '.')",
			'InvalidArgument: server:run: body got "not a function" (string); pass function(globals, ...) to run inside the server',
			"InvalidArgument: universe:advance: seconds got -1 (number); pass seconds ≥ 0",
			'InvalidArgument: universe:startServer: options.osTimeSkew got "1" (string); pass seconds (a number)',
			"server:require: A has no instance at ReplicatedStorage.Missing",
			"servers 1 player 7 in nil",
		]);
	});
}

for (const vm of VMS_HERE) {
	test(`[${vm}] work the cloud does on its own survives the crash that started it; context.spawn runs as its server`, async () => {
		const { result, lines, text } = await runScenario(
			`
			local a = universe:startServer({ name = "A" })
			local b = universe:startServer({ name = "B" })
			local cloud = universe.cloud
			-- a publish from A: the message is in flight in the cloud, delivered into B's thread
			a:spawn(function(g)
				cloud:after(2, function()
					b.context.spawn(function()
						print("delivered into B after A crashed; B running:", b.context.isRunning())
						task.wait(5)
						print("B's thread went on")
					end)
				end)
				a.context.spawn(function()
					task.wait(10)
					print("A's own thread went on")
				end)
			end)
			universe:advance(1)
			a:crash()
			universe:advance(3)
			b:crash()
			universe:advance(10)
			print("done")
			`,
			{ vm },
		);
		assert.equal(result.ok, true, text);
		assert.deepEqual(printed(lines), ["delivered into B after A crashed; B running: true", "done"]);
	});
}

for (const vm of VMS_HERE) {
	test(`[${vm}] a server crashing itself from one of its threads stops that thread too; the caller goes on`, async () => {
		const { result, lines, text } = await runScenario(
			`
			local a = universe:startServer({ name = "A" })
			a:spawn(function(g)
				g.task.wait(1)
				print("A: before the crash")
				a:crash()
				print("A: after the crash")
			end)
			local ok, err = pcall(function()
				return a:run(function(g)
					g.task.wait(5)
					return "finished"
				end)
			end)
			print("run:", ok, err, "at", os.clock())
			`,
			{ vm },
		);
		assert.equal(result.ok, true, text);
		assert.deepEqual(
			printed(lines).map((line) => line.replace(/false .*?:\d+: /, "false ")),
			["A: before the crash", "run: false server A crashed while running at 1"],
		);
	});
}
