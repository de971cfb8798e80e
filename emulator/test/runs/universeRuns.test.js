// Whole universe runs: the same seed gives the same run line for line (joins, rejoins, seeded crash
// times, Random.new() and math.random); 4 servers × 25 players fit luau-web's fixed heap; the cloud's snapshot/restore carries the
// stores from one run to the next (npm start's saved stores), through the result on both VMs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { runServer } from "../../host/runServer.js";
import { moduleNode, printed, runScenario, scriptNode, universePlace, VMS_HERE } from "./universeFixture.js";
import { findNativeLuau } from "../../host/findNativeLuau.js";

const playerLoop = scriptNode(
	"main",
	`
	local Players = game:GetService("Players")
	local random = Random.new()
	local data = {}
	Players.PlayerAdded:Connect(function(player)
		data[player.UserId] = { coins = 0, joinedAt = os.clock(), log = table.create(8, "") }
		print("PlayerAdded", player.UserId, os.clock())
		while player.Parent do
			-- math.random too: it is drawn from each server's seed, as Random.new() is
			task.wait(random:NextNumber(1, 4) + math.random())
			if data[player.UserId] then
				data[player.UserId].coins += 1
			end
		end
	end)
	Players.PlayerRemoving:Connect(function(player)
		print("PlayerRemoving", player.UserId, os.clock(), data[player.UserId].coins)
		data[player.UserId] = nil
	end)
	game:BindToClose(function() print("BindToClose", os.clock()) end)
	`,
);

const BUSY_UNIVERSE = `
	local servers = {}
	for index = 1, 4 do
		servers[index] = universe:startServer({ startScripts = true })
	end
	for userId = 1, 12 do
		universe:join(userId)
	end
	servers[universe.cloud.random:NextInteger(1, 4)]:crashAfter(universe.cloud.random:NextNumber(5, 20))
	for round = 1, 6 do
		universe:advance(3)
		local userId = universe.cloud.random:NextInteger(1, 12)
		local player = universe:rejoin(userId)
		print("round", round, "player", userId, "now in", universe:serverOf(userId).name)
	end
	for _, server in universe:servers() do
		server:shutdown()
	end
`;

for (const vm of VMS_HERE) {
	test(`[${vm}] the same seed gives the same universe run line for line; another seed another run`, async () => {
		const first = await runScenario(BUSY_UNIVERSE, { vm, seed: 3, scripts: [playerLoop] });
		const again = await runScenario(BUSY_UNIVERSE, { vm, seed: 3, scripts: [playerLoop] });
		const other = await runScenario(BUSY_UNIVERSE, { vm, seed: 4, scripts: [playerLoop] });
		assert.equal(first.result.ok, true, first.text);
		assert.equal(other.result.ok, true, other.text);
		assert.ok(first.lines.length > 25, first.text);
		assert.deepEqual(again.lines, first.lines);
		assert.notDeepEqual(other.lines, first.lines);
		// rejoins landed on more than one server, and a seeded crash happened (one server had no BindToClose)
		const landed = new Set(printed(first.lines).flatMap((line) => line.match(/now in (S\d)/)?.[1] ?? []));
		assert.ok(landed.size >= 2, first.text);
		assert.equal(printed(first.lines).filter((line) => line.includes("BindToClose")).length, 3, first.text);
	});

	test(`[${vm}] cloud:snapshot() / cloud:restore() carry backends into a new cloud, and untouched ones through`, async () => {
		const { result, lines, text } = await runScenario(
			`
			local function makeBackend()
				local backend = { items = {} }
				function backend:snapshot() return { items = table.clone(self.items) } end
				function backend:restore(data) self.items = table.clone(data.items) end
				return backend
			end
			local store = universe.cloud:backend("Items", makeBackend)
			universe.cloud:backend("NoSnapshot", function() return { secret = 1 } end)
			store.items.sword = 3
			local saved = universe.cloud:snapshot()
			print("saved clock", saved.clock, "backends", saved.backends.Items.items.sword, saved.backends.NoSnapshot)
			local later = Universe.new({ seed = 2 })
			later.cloud:restore({ clock = saved.clock, backends = { Items = saved.backends.Items, Other = { kept = true } } })
			print("restored", later.cloud:backend("Items", makeBackend).items.sword)
			local resaved = later.cloud:snapshot()
			print("carried", resaved.backends.Other.kept, resaved.backends.Items.items.sword)
			print(pcall(function() later.cloud:restore("nope") end))
			print(pcall(function() Universe:new() end))
			`,
			{ vm, options: { epoch: 1_800_000_000 } },
		);
		assert.equal(result.ok, true, text);
		const out = printed(lines);
		assert.deepEqual(out.slice(0, 3), ["saved clock 1800000000 backends 3 nil", "restored 3", "carried true 3"]);
		assert.match(out[3], /^false .*cloud:restore expects a table from cloud:snapshot\(\)/);
		assert.match(out[4], /^false .*InvalidArgument: call Universe.new\(\.\.\.\) with '\.' \(it was called with ':'\)/);
	});
}

test("the same seed gives the same universe run on luau-web and on native, line for line", { skip: VMS_HERE.length < 2 ? "no native Luau here" : false }, async () => {
	const web = await runScenario(BUSY_UNIVERSE, { vm: "web", seed: 3, scripts: [playerLoop] });
	const native = await runScenario(BUSY_UNIVERSE, { vm: "native", seed: 3, scripts: [playerLoop] });
	assert.equal(web.result.ok, true, web.text);
	assert.deepEqual(native.lines, web.lines);
});

test("[web] 4 servers × 25 players fit luau-web's 16 MiB heap (the figure is printed)", async (t) => {
	const { result, lines, text } = await runScenario(
		`
		local before = gcinfo()
		for _ = 1, 4 do
			universe:startServer({ startScripts = true })
		end
		for userId = 1, 100 do
			universe:join(userId)
		end
		universe:advance(120)
		for userId = 1, 20 do
			universe:rejoin(userId)
		end
		print(string.format("heap %d KB (before the universe %d KB)", gcinfo(), before))
		`,
		{ vm: "web", scripts: [playerLoop] },
	);
	assert.equal(result.ok, true, text);
	const [, heapKB] = printed(lines)
		.find((line) => line.startsWith("heap "))
		.match(/^heap (\d+) KB/);
	t.diagnostic(printed(lines).find((line) => line.startsWith("heap ")));
	assert.ok(Number(heapKB) < 16 * 1024, `heap ${heapKB} KB`);
});

// luau-web keeps every chunk its loadstring returns for good: a module compiled again for each server
// (each universe a spec starts) filled the heap. Chunks.luau compiles a source once and gives each
// load a fresh closure, so each server still has its own module state.
test("[web] a module 6 servers require is compiled once, yet each server has its own copy", async (t) => {
	const bigModule = moduleNode(
		"Big",
		["local loads = 0", "local M = {}"]
			.concat(Array.from({ length: 3000 }, (_, index) => `function M.f${index}(a, b) return a + b * ${index} end`))
			.concat(["function M.count() loads += 1 return loads end", "return M"])
			.join("\n"),
	);
	const { result, lines, text } = await runScenario(
		`
		local before = gcinfo()
		local counts, tables = {}, {}
		for index = 1, 6 do
			local server = universe:startServer({})
			local module = server:require("ReplicatedStorage.Big")
			tables[module] = true
			counts[index] = module.count() + module.count()
		end
		local distinct = 0
		for _ in tables do distinct += 1 end
		print("distinct", distinct, "counts", table.concat(counts, ","))
		print(string.format("grew %d KB", gcinfo() - before))
		`,
		{ vm: "web", modules: [bigModule] },
	);
	assert.equal(result.ok, true, text + JSON.stringify(result.failures));
	const out = printed(lines);
	assert.equal(out[0], `distinct 6 counts ${Array(6).fill(3).join(",")}`);
	const grewKB = Number(out[1].match(/^grew (-?\d+) KB/)[1]);
	t.diagnostic(out[1]);
	// the module's source is ~170 KB: compiled once, 6 servers with their copies grew the heap ~2.6 MB;
	// compiled per server (each compile pinned) ~5.9 MB
	assert.ok(grewKB < 4000, out[1]);
});

// Chunks compiles a source wrapped in a factory; a source that does not compile must still report its
// own error (the line of the unclosed block), not the wrapper's.
test("[web] a module that does not compile reports its own error line, every time it is required", async () => {
	const broken = moduleNode("Broken", "local x = 1\nlocal function f()\n\tx += 1\n\nreturn f");
	const { result, lines, text } = await runScenario(
		`
		local server = universe:startServer({})
		for _ = 1, 2 do
			print(pcall(function() return server:require("ReplicatedStorage.Broken") end))
		end
		`,
		{ vm: "web", modules: [broken] },
	);
	assert.equal(result.ok, true, text + JSON.stringify(result.failures));
	// Roblox's require fails with its own text; the compile error goes to the output
	const out = printed(lines);
	assert.deepEqual(out.map((line) => line.replace(/^false .*: /, "false ")), Array(2).fill("false Requested module experienced an error while loading"));
	const errors = lines.filter((line) => line.startsWith("error: "));
	assert.ok(errors.length >= 1, text);
	for (const line of errors) assert.match(line, /Broken:5: Expected 'end' \(to close 'function' at line 2\), got <eof>/, text);
});

test("a start run hands its stores back in the result and restores them at the next boot (both VMs)", async () => {
	const luau = findNativeLuau();
	for (const vm of VMS_HERE) {
		const tree = universePlace("", {});
		const saved = { clock: 1_790_000_500, backends: { Items: { items: { sword: 3 } } } };
		const result = await runServer(
			tree,
			{ mode: "start", duration: 5, persist: true, cloudSnapshot: saved, vm, ...(vm === "native" ? { luauBin: luau.path } : {}) },
			() => {},
		);
		assert.equal(result.ok, true, JSON.stringify(result));
		// nothing touched Items this run: it is carried through; the clock starts a day after the snapshot
		assert.deepEqual(result.cloudSnapshot.backends, saved.backends);
		assert.equal(result.cloudSnapshot.clock, saved.clock + 86400 + 5);
	}
});

// npm start's saved stores: DataStores are durable, so the second run reads the first one's data;
// MemoryStore is not kept (its items are short-lived by design, and the next run starts a day later).
test("DataStore data written in one start run is read in the next; MemoryStore starts empty (both VMs)", async () => {
	const luau = findNativeLuau();
	const script = scriptNode(
		"main",
		`
		local DataStoreService = game:GetService("DataStoreService")
		local map = game:GetService("MemoryStoreService"):GetHashMap("sessions")
		local store = DataStoreService:GetDataStore("Players")
		local before = store:GetAsync("coins")
		print("run sees", before, map:GetAsync("lock"))
		store:SetAsync("coins", (before or 0) + 5, { 77 })
		map:SetAsync("lock", "held", 3600)
		`,
	);
	for (const vm of VMS_HERE) {
		const tree = universePlace("", { scripts: [script] });
		const run = async (cloudSnapshot) => {
			const lines = [];
			const result = await runServer(
				tree,
				{
					mode: "start",
					duration: 5,
					persist: true,
					...(cloudSnapshot ? { cloudSnapshot } : {}),
					vm,
					...(vm === "native" ? { luauBin: luau.path } : {}),
				},
				(kind, text) => lines.push(`${kind}: ${text}`),
			);
			assert.equal(result.ok, true, lines.join("\n") + JSON.stringify(result.failures));
			return { result, out: printed(lines) };
		};
		const first = await run(null);
		assert.deepEqual(first.out, ["run sees nil nil"]);
		const saved = JSON.parse(JSON.stringify(first.result.cloudSnapshot)); // what the store file holds
		assert.ok(saved.backends.DataStore, JSON.stringify(saved));
		assert.equal(saved.backends.MemoryStore, undefined);
		const second = await run(saved);
		assert.deepEqual(second.out, ["run sees 5 nil"], vm);
		const third = await run(JSON.parse(JSON.stringify(second.result.cloudSnapshot)));
		assert.deepEqual(third.out, ["run sees 10 nil"], vm);
	}
});
