// The bench harness a bench/*.bench.luau module receives, driven on a tiny place in bench mode:
// `bench.compare` alternates its two sides and reports the median round of each, `bench.gcinfoKB`
// reads object sizes Luau's layout predicts, and bad arguments get messages.
import { test } from "node:test";
import assert from "node:assert/strict";
import { runServer } from "../../host/runServer.js";

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

async function runBench(source) {
	const lines = [];
	const result = await runServer(
		benchPlace(source),
		{ mode: "bench", benchModule: "ServerStorage.Bench", environment: "shared", seed: 1, wallTimeout: 60 },
		(kind, text) => lines.push(`${kind}: ${text}`),
	);
	return { result, text: lines.join("\n") };
}

test("bench.compare runs baseline and subject in alternating rounds and records both rows", async () => {
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
		end`);
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

test("bench.compare and bench.measure report the median round, not the best or the mean", async () => {
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
		end`);
	assert.equal(result.ok, true, text);
	const [a, b, m] = text.match(/print: medians (\S+) (\S+) (\S+)/).slice(1).map(Number);
	assert.ok(Math.abs(a - 3e6) < 1, `A read ${a} ns (median 3 ms; best 1 ms, mean 11 ms)`);
	assert.ok(Math.abs(b - 2e6) < 1, `B read ${b} ns (median 4 ms over 2 iterations)`);
	assert.ok(Math.abs(m - 6e6) < 1, `M read ${m} ns (median of 7, 5, 6, 1, 30, 2, 8 ms)`);
});

test("a body that returns nothing is timed by the wall clock around it", async () => {
	const { result, text } = await runBench(`
		return function(bench)
			local ns = bench.measure("spin 2 ms", 1, function()
				local started = bench.now()
				while bench.now() - started < 0.002 do end
			end, 5)
			print("spin", ns)
		end`);
	assert.equal(result.ok, true, text);
	const ns = Number(text.match(/print: spin (\S+)/)[1]);
	assert.ok(ns >= 2e6 && ns < 2e7, `a 2 ms spin read ${ns} ns`);
});

test("bench.compare refuses a side without a body, no iterations or fewer than 5 rounds, naming what is wrong", async () => {
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
		end`);
	assert.equal(result.ok, true, text);
	assert.match(text, /print: missing body false .*bench\.compare: subject must be/);
	assert.match(text, /print: zero iterations false .*bench\.compare: baseline\.iterations must be a positive number/);
	assert.match(text, /print: four rounds false .*bench\.compare: rounds must be a whole number >= 5 \(each figure is a median\), got 4/);
	assert.match(text, /print: negative own time false .*a body may return only its own measured seconds \(a number >= 0\), got -1/);
	assert.equal(result.bench.rows.length, 0);
});

test("bench.gcinfoKB reads object sizes as Luau lays them out (the in-flight and expiry figures rest on it)", async () => {
	const { result, text } = await runBench(`
		return function(bench)
			local COUNT = 5000
			local function bytesEach(make)
				local before = bench.gcinfoKB()
				local held = table.create(COUNT)
				for i = 1, COUNT do held[i] = make(i) end
				local bytes = (bench.gcinfoKB() - before) * 1024 / COUNT
				held = nil
				return bytes
			end
			-- 8 hash slots of 32 bytes + the table header, plus the 16-byte slot in \`held\`
			print("hash8", bytesEach(function(i) return { a = i, b = 2, c = 3, d = 4, e = 5, f = 6, g = 7, h = 8 } end))
			-- 8 array slots of 16 bytes + the header, plus the slot in \`held\`
			print("array8", bytesEach(function(i) return { i, 2, 3, 4, 5, 6, 7, 8 } end))
		end`);
	assert.equal(result.ok, true, text);
	const hash8 = Number(text.match(/print: hash8 ([\d.]+)/)[1]);
	const array8 = Number(text.match(/print: array8 ([\d.]+)/)[1]);
	assert.ok(hash8 > 290 && hash8 < 350, `an 8-field table read ${hash8} bytes`);
	assert.ok(array8 > 160 && array8 < 220, `an 8-slot array read ${array8} bytes`);
});
