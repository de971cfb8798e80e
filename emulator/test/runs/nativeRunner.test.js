// The native runner (`vm: "native"`): the official Luau CLI runs the same engine from one generated
// file and reports through a stdout line protocol. Texts of every shape arrive intact and in order, the
// result matches luau-web's, failures fail, and a loop that never yields is killed. The cases that
// need a native binary skip, saying why, when LUAU_BIN / PATH has none.
import { test } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { runServer } from "../../host/runServer.js";
import { findNativeLuau } from "../../host/findNativeLuau.js";
import { longString } from "../../host/nativeProgram.js";

const luau = findNativeLuau();
const skip = luau.ok ? false : `no native Luau to run on (${luau.message})`;

const script = (name, source) => ({ name, className: "Script", source, children: [] });
const place = (...scripts) => ({
	name: "Fixture",
	className: "DataModel",
	children: [{ name: "ServerScriptService", className: "ServerScriptService", children: scripts }],
});

async function run(tree, options = {}) {
	const lines = [];
	const result = await runServer(tree, { mode: "script", shutdownAfter: 1, ...options }, (kind, text) =>
		lines.push([kind, text]),
	);
	return { result, lines, text: lines.map(([kind, text]) => `${kind}: ${text}`).join("\n") };
}

// Every byte class the protocol must carry: newlines, CR, tab, NUL, the protocol's own mark (\1),
// backslashes and things that look like escapes, long-bracket closers, non-ASCII UTF-8.
const AWKWARD = String.raw`"two\nlines\r\n\ttab \0nul \1mark \\ back \\0a not-an-escape ]] ]=] ]==] é ✓ 🙂"`;

test("output lines of every shape arrive intact, in order, with their kinds, as on luau-web", { skip }, async () => {
	const tree = place(
		script(
			"main",
			`print(${AWKWARD}, 1, nil, true)
			warn(${AWKWARD})
			print(string.rep("x", 100000))
			for i = 1, 300 do print("line", i) end
			-- a source that ends in a long-bracket closer's start ]=`,
		),
	);
	const native = await run(tree, { vm: "native" });
	const web = await run(tree, { vm: "web" });
	assert.equal(native.result.ok, true, native.text);
	const expected = "two\nlines\r\n\ttab \0nul \x01mark \\ back \\0a not-an-escape ]] ]=] ]==] é ✓ 🙂";
	assert.deepEqual(native.lines[0], ["print", `${expected} 1 nil true`]);
	assert.deepEqual(native.lines[1], ["warn", expected]);
	assert.equal(native.lines[2][1], "x".repeat(100000));
	assert.deepEqual(native.lines.at(-1), ["print", "line 300"]);
	assert.deepEqual(native.lines, web.lines);
	assert.deepEqual(native.result, web.result);
});

test("an uncaught error fails the run with its message and traceback, as on luau-web", { skip }, async () => {
	const tree = place(script("main", `task.spawn(function() task.wait(0.5) error("boom in thread") end)`));
	const native = await run(tree, { vm: "native" });
	const web = await run(tree, { vm: "web" });
	assert.equal(native.result.ok, false, native.text);
	assert.match(native.result.failures[0], /^uncaught error: ServerScriptService\.main:1: boom in thread/);
	assert.deepEqual(native.result, web.result);
	assert.deepEqual(native.lines, web.lines);
});

test("-O2 runs the same engine and gives the same result", { skip }, async () => {
	const tree = place(script("main", `local n = 0 for i = 1, 10 do n += i task.wait() end print("sum", n, typeof(game))`));
	const o1 = await run(tree, { vm: "native", optimize: 1 });
	const o2 = await run(tree, { vm: "native", optimize: 2 });
	assert.equal(o2.result.ok, true, o2.text);
	assert.match(o2.text, /print: sum 55 Instance/);
	assert.deepEqual(o2.lines, o1.lines);
	assert.deepEqual(o2.result, o1.result);
});

test("an error in the engine itself is reported as a crash", { skip }, async () => {
	const { result } = await run(place(), { vm: "native", mode: "no-such-mode" });
	assert.equal(result.ok, false);
	assert.match(result.failures[0], /^the emulator crashed: .*unknown mode no-such-mode/);
});

test("a Luau loop that never yields is killed by the wall-time watchdog", { skip }, async () => {
	const started = performance.now();
	const { result } = await run(place(script("main", `while true do end`)), { vm: "native", wallTimeout: 1, killGrace: 1 });
	const seconds = (performance.now() - started) / 1000;
	assert.equal(result.ok, false);
	assert.match(result.failures[0], /^wall-time watchdog: the server ran more than 2 s of real time without returning/);
	assert.ok(seconds < 10, `took ${seconds} s`);
});

test("a Luau string literal made by longString holds its text byte for byte", { skip }, () => {
	const texts = ["", "plain", "]]", "a]=]b]==]c", "ends in ]", "ends in ]=", "ends in ]==", "\nleading newline", "[[ [=[ ]=]]"];
	const dir = mkdtempSync(join(tmpdir(), "eg-longstring-"));
	try {
		const file = join(dir, "check.luau");
		const checks = texts.map((text, index) => `print(${index}, ${longString(text)} == ${JSON.stringify(text)})`);
		writeFileSync(file, checks.join("\n"));
		const run = spawnSync(luau.path, [file], { encoding: "utf8" });
		assert.equal(run.status, 0, run.stderr);
		assert.equal(run.stdout, texts.map((_, index) => `${index}\ttrue\n`).join(""));
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});

test("a binary that exits without a result fails the run, quoting its stderr and exit code", async () => {
	const dir = mkdtempSync(join(tmpdir(), "eg-fake-luau-"));
	try {
		const fake = join(dir, "luau");
		writeFileSync(fake, "#!/bin/sh\necho 'not the protocol'\necho 'it went wrong' >&2\nexit 3\n");
		chmodSync(fake, 0o755);
		const { result, lines } = await run(place(), { vm: "native", luauBin: fake });
		assert.equal(result.ok, false);
		assert.deepEqual(result.failures, ["native Luau exited (code 3) before finishing: it went wrong"]);
		assert.deepEqual(lines, [["print", "not the protocol"]]);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});

test("without LUAU_BIN or luau on PATH, the error names both", () => {
	const none = findNativeLuau({ PATH: "/nonexistent" });
	assert.equal(none.ok, false);
	assert.match(none.message, /LUAU_BIN is not set and there is no `luau` on PATH/);
	const bad = findNativeLuau({ LUAU_BIN: "/nonexistent/luau", PATH: "" });
	assert.equal(bad.ok, false);
	assert.match(bad.message, /LUAU_BIN is set to \/nonexistent\/luau, which is not an executable file/);
});

test("an unknown vm or -O level is refused by name", async () => {
	assert.deepEqual((await run(place(), { vm: "jit" })).result, { ok: false, failures: ["unknown vm jit (known: web, native)"] });
	const { result } = await run(place(), { vm: "native", optimize: 3 });
	assert.deepEqual(result.failures, ["optimize must be 0, 1 or 2 (the luau CLI's -O level), got 3"]);
});
