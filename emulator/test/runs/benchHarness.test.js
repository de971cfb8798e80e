// The bench harness a bench/*.bench.luau module receives, driven on a tiny place in bench mode, on
// luau-web and (when LUAU_BIN / PATH has one) on native Luau: `bench.compare` alternates its sides and
// reports the median round of each, `bench.gcinfoKB` reads object sizes Luau's layout predicts,
// targets that do not bind and context figures are recorded as such, and bad arguments get messages.
import { test } from "node:test";
import assert from "node:assert/strict";
import { runServer } from "../../host/runServer.js";
import { findNativeLuau } from "../../host/findNativeLuau.js";

const luau = findNativeLuau();
const VMS = [
	{ vm: "web", skip: false },
	{ vm: "native", skip: luau.ok ? false : `no native Luau to run on (${luau.message})` },
];

function benchPlace(source) {
	return {
		name: "Fixture",
		className: "DataModel",
		children: [
			{
				name: "ServerStorage",
				className: "ServerStorage",
				children: [{ name: "Bench", className: "ModuleScript", source, children: [] }],
			},
		],
	};
}

async function runBench(source, vm) {
	const lines = [];
	const result = await runServer(
		benchPlace(source),
		{ mode: "bench", benchModule: "ServerStorage.Bench", environment: "shared", seed: 1, wallTimeout: 60, vm },
		(kind, text) => lines.push(`${kind}: ${text}`),
	);
	return { result, text: lines.join("\n") };
}

for (const { vm, skip } of VMS) {

	test(`[${vm}] bench.compare runs baseline and subject in alternating rounds and records both rows`, { skip }, async () => {
		const { result, text } = await runBench(`
			return function(bench)
				local order = {}
				local a, b = bench.compare(
					{ label = "A side", iterations = 10, body = function(n) table.insert(order, "A") end },
					{ label = "B side", iterations = 10, body = function(n) table.insert(order, "B") end },
					5
				)
				print("order", table.concat(order))
				print("numbers", type(a) == "number" and a >= 0, type(b) == "number" and b >= 0)
			end`, vm);
		assert.equal(result.ok, true, text);
		// warm-up A, warm-up B, then rounds: A B | B A | A B | B A | A B
		assert.match(text, /print: order ABABBAABBAAB\n/);
		assert.match(text, /print: numbers true true/);
		assert.deepEqual(
			result.bench.rows.map((row) => [row.label, row.iterations]),
			[
				["A side", 10],
				["B side", 10],
			],
		);
	});

	test(`[${vm}] bench.compare and bench.measure report the median round, not the best or the mean`, { skip }, async () => {
		// Bodies that return the seconds they measured themselves (as a yielding body does) make the rounds
		// exact: the warm-up's figure is ignored, then five rounds of 1, 9, 3, 40 and 2 ms.
		const { result, text } = await runBench(`
			return function(bench)
				local function rounds(list)
					local call = 0
					return function(n)
						call += 1
						return list[call] / 1000
					end
				end
				local a, b = bench.compare(
					{ label = "A", iterations = 1, body = rounds({ 100, 1, 9, 3, 40, 2 }) },
					{ label = "B", iterations = 2, body = rounds({ 100, 4, 4, 8, 2, 50 }) },
					5
				)
				local m = bench.measure("M", 1, rounds({ 100, 7, 5, 6, 1, 30, 2, 8 }), 7)
				print("medians", a, b, m)
			end`, vm);
		assert.equal(result.ok, true, text);
		const [a, b, m] = text.match(/print: medians (\S+) (\S+) (\S+)/).slice(1).map(Number);
		assert.ok(Math.abs(a - 3e6) < 1, `A read ${a} ns (median 3 ms; best 1 ms, mean 11 ms)`);
		assert.ok(Math.abs(b - 2e6) < 1, `B read ${b} ns (median 4 ms over 2 iterations)`);
		assert.ok(Math.abs(m - 6e6) < 1, `M read ${m} ns (median of 7, 5, 6, 1, 30, 2, 8 ms)`);
	});

	test(`[${vm}] a body that returns nothing is timed by the wall clock around it; one that returns seconds is not`, { skip }, async () => {
		// Only lower bounds and exact values: a shared machine may stretch a spin, never shorten it.
		const { result, text } = await runBench(`
			return function(bench)
				local function spin()
					local started = bench.now()
					while bench.now() - started < 0.002 do end
				end
				local spanNs = bench.measure("spin 2 ms", 1, function() spin() end, 5)
				local ownNs = bench.measure("spin 2 ms, report 0.1 ms", 1, function() spin() return 0.0001 end, 5)
				print("spin", spanNs, ownNs)
			end`, vm);
		assert.equal(result.ok, true, text);
		const [spanNs, ownNs] = text.match(/print: spin (\S+) (\S+)/).slice(1).map(Number);
		assert.ok(spanNs >= 2e6, `a 2 ms spin read ${spanNs} ns`);
		assert.ok(Math.abs(ownNs - 1e5) < 1e-3, `a body reporting 0.1 ms read ${ownNs} ns`);
	});

	test(`[${vm}] bench.compare refuses a side without a body, no iterations or fewer than 5 rounds, naming what is wrong`, { skip }, async () => {
		const { result, text } = await runBench(`
			return function(bench)
				local ok, err = pcall(bench.compare, { label = "A", iterations = 1, body = function() end }, { label = "B", iterations = 1 })
				print("missing body", ok, err)
				ok, err = pcall(bench.compare, { label = "A", iterations = 0, body = function() end }, { label = "B", iterations = 1, body = function() end })
				print("zero iterations", ok, err)
				ok, err = pcall(bench.compare, { label = "A", iterations = 1, body = function() end }, { label = "B", iterations = 1, body = function() end }, 4)
				print("four rounds", ok, err)
				ok, err = pcall(bench.measure, "M", 1, function() return -1 end)
				print("negative own time", ok, err)
			end`, vm);
		assert.equal(result.ok, true, text);
		assert.match(text, /print: missing body false .*bench\.compare: subject must be/);
		assert.match(text, /print: zero iterations false .*bench\.compare: baseline\.iterations must be a positive number/);
		assert.match(text, /print: four rounds false .*bench\.compare: rounds must be a whole number >= 5 \(each figure is a median\), got 4/);
		assert.match(text, /print: negative own time false .*a body may return only its own measured seconds \(a number >= 0\), got -1/);
		assert.equal(result.bench.rows.length, 0);
	});

	test(`[${vm}] bench.gcinfoKB reads object sizes as Luau lays them out (the in-flight and expiry figures rest on it)`, { skip }, async () => {
		const { result, text } = await runBench(`
			return function(bench)
				local COUNT = 5000
				-- The smallest of three readings: on luau-web a stray allocation between the two probes (the
				-- host's own Luau work under a loaded machine) can only add bytes, never take them away.
				local function bytesEach(make)
					local smallest = math.huge
					for _ = 1, 3 do
						local before = bench.gcinfoKB()
						local held = table.create(COUNT)
						for i = 1, COUNT do held[i] = make(i) end
						smallest = math.min(smallest, (bench.gcinfoKB() - before) * 1024 / COUNT)
						held = nil
					end
					return smallest
				end
				-- 8 hash nodes of 32 bytes + the table header, plus the 16-byte slot in \`held\`
				print("hash8", bytesEach(function(i) return { a = i, b = 2, c = 3, d = 4, e = 5, f = 6, g = 7, h = 8 } end))
				-- 8 array slots of 16 bytes + the header, plus the slot in \`held\`
				print("array8", bytesEach(function(i) return { i, 2, 3, 4, 5, 6, 7, 8 } end))
			end`, vm);
		assert.equal(result.ok, true, text);
		const hash8 = Number(text.match(/print: hash8 ([\d.]+)/)[1]);
		const array8 = Number(text.match(/print: array8 ([\d.]+)/)[1]);
		// Luau's layout: 32-byte hash nodes and 16-byte array slots on both VMs; the table header is 48
		// bytes on 64-bit native Luau, ~28 on 32-bit luau-web. Native collects for real (exact to the
		// byte); luau-web's probe is calibrated to within a few percent.
		const expected = vm === "native" ? { hash8: 48 + 256 + 16, array8: 48 + 128 + 16, slack: 2 } : { hash8: 300, array8: 172, slack: 15 };
		assert.ok(Math.abs(hash8 - expected.hash8) <= expected.slack, `an 8-field table read ${hash8} bytes (layout: ${expected.hash8})`);
		assert.ok(Math.abs(array8 - expected.array8) <= expected.slack, `an 8-slot array read ${array8} bytes (layout: ${expected.array8})`);
	});

	test(`[${vm}] bench.compareAll alternates three sides forward and backward, and bench.vm names the VM`, { skip }, async () => {
		const { result, text } = await runBench(`
			return function(bench)
				local order = {}
				local function side(name)
					return { label = name, iterations = 1, body = function() table.insert(order, name) end }
				end
				local ns = bench.compareAll({ side("A"), side("B"), side("C") }, 5)
				print("order", table.concat(order), #ns)
				print("vm", bench.vm)
			end`, vm);
		assert.equal(result.ok, true, text);
		// warm-ups A B C, then ABC | CBA | ABC | CBA | ABC
		assert.match(text, /print: order ABCABCCBAABCCBAABC 3\n/);
		assert.match(text, new RegExp(`print: vm ${vm}$`, "m"));
		assert.deepEqual(
			result.bench.rows.map((row) => row.label),
			["A", "B", "C"],
		);
	});

	test(`[${vm}] a target that does not bind has no verdict; a figure is recorded beside the targets`, { skip }, async () => {
		const { result, text } = await runBench(`
			return function(bench)
				print("binding", bench.target({ id = "t.binds", measured = 3, limit = 2, comparison = "<=" }))
				bench.target({ id = "t.context", measured = 3, limit = 2, comparison = "<=", applies = false })
				bench.figure({ id = "f.bytes", description = "bytes of a thing", measured = 312, unit = "bytes" })
			end`, vm);
		assert.equal(result.ok, true, text);
		assert.match(text, /print: binding false/);
		const [binds, context] = result.bench.targets;
		assert.equal(binds.holds, false);
		assert.equal(binds.applies, true);
		assert.equal(context.applies, false);
		assert.equal(context.holds ?? null, null);
		assert.equal(context.measured, 3);
		assert.deepEqual(result.bench.figures, [{ id: "f.bytes", description: "bytes of a thing", measured: 312, unit: "bytes" }]);
	});

	test(`[${vm}] bench.pendingTimers counts the scheduler's timers (task.delay and task.wait entries)`, { skip }, async () => {
		const { result, text } = await runBench(`
			return function(bench)
				local before = bench.pendingTimers()
				for _ = 1, 3 do task.delay(10, function() end) end
				local waiter = task.spawn(function() task.wait(5) end)
				local during = bench.pendingTimers()
				task.wait(11)
				print("timers", during - before, bench.pendingTimers() - before)
			end`, vm);
		assert.equal(result.ok, true, text);
		assert.match(text, /print: timers 4 0/);
	});
}
