#!/usr/bin/env node
// `npm test`: the emulator's own tests (node:test), then every TestEZ spec under test/, compiled with
// roblox-ts and run in the offline Roblox server. Exits non-zero on any failed test, compile error,
// uncaught thread error, deadlock or watchdog.
//
//   npm test                       everything
//   npm test -- lock execution     only spec files whose path contains "lock" or "execution"
//   npm test -- --seed 7           another deterministic interleaving seed
//   npm test -- --no-compile       reuse out/ as it stands
//   npm test -- --vm native        the specs on the official native Luau CLI (LUAU_BIN, else luau on PATH)
//   npm test -- --vm native --optimize 2   ... with every chunk compiled at -O2 (default -O1)
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { preparePlace } from "../host/preparePlace.js";
import { runServer, VMS } from "../host/runServer.js";
import { findNativeLuau } from "../host/findNativeLuau.js";
import { printFailure, printLine } from "../host/output.js";
import { filterSpecs, specGroups } from "../host/filterSpecs.js";

let root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const args = process.argv.slice(2);
const filters = [];
let seed = 1;
let selfTest = undefined;
let compile = true;
let vm = "web";
let optimize = 1;
for (let index = 0; index < args.length; index++) {
	const arg = args[index];
	if (arg === "--seed") seed = Number(args[++index]);
	else if (arg === "--self-test") selfTest = true;
	else if (arg === "--no-self-test") selfTest = false;
	// reuse out/ as it is (when the compile output is known to be fresh)
	else if (arg === "--no-compile") compile = false;
	// another checkout (the emulator's own fixture places)
	else if (arg === "--root") root = args[++index];
	else if (arg === "--vm") vm = args[++index];
	else if (arg === "--optimize") optimize = Number(args[++index]);
	else filters.push(arg);
}
if (selfTest === undefined) selfTest = filters.length === 0;
if (!Number.isFinite(seed)) {
	printFailure("--seed needs a number");
	process.exit(2);
}
if (!VMS.includes(vm)) {
	printFailure(`--vm needs one of ${VMS.join(", ")}, got ${vm}`);
	process.exit(2);
}
if (![0, 1, 2].includes(optimize) || (optimize !== 1 && vm !== "native")) {
	printFailure(`--optimize needs 0, 1 or 2, with --vm native (got ${optimize}, vm ${vm})`);
	process.exit(2);
}
// say it before compiling: a missing binary is the commonest native failure
const nativeLuau = vm === "native" ? findNativeLuau() : null;
if (nativeLuau && !nativeLuau.ok) {
	printFailure(nativeLuau.message);
	process.exit(2);
}

const totals = { passed: 0, failed: 0, skipped: 0 };
const problems = [];

function runSelfTests() {
	const testDir = join(root, "emulator", "test");
	const files = readdirSync(testDir, { recursive: true })
		.filter((file) => String(file).endsWith(".test.js"))
		.map((file) => join(testDir, String(file)))
		.sort();
	console.log(`Emulator self-tests (${files.length} files)`);
	const run = spawnSync(process.execPath, ["--test", "--test-reporter=spec", ...files], {
		cwd: root,
		encoding: "utf8",
		env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
	});
	const text = `${run.stdout}${run.stderr}`;
	const count = (label) => Number((text.match(new RegExp(`^ℹ ${label} (\\d+)$`, "m")) || [])[1] || 0);
	const passed = count("pass");
	const failed = count("fail");
	const skipped = count("skipped") + count("todo");
	// Passing files are summarised; a failure prints the runner's full report.
	if (run.status !== 0 || failed > 0) {
		process.stdout.write(text);
		problems.push(`emulator self-tests: ${failed} failed (exit ${run.status})`);
	} else {
		console.log(`Emulator self-tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
	}
	// a skipped test says why (e.g. no headless Chromium here), even when the rest is summarised
	// (the spec reporter marks a skipped test "﹣ name (ms) # reason")
	for (const line of text.split("\n").filter((entry) => /^\s*\u{FE63} .* # /u.test(entry))) console.log(`  skipped: ${line.trim().slice(2)}`);
	if (passed + failed === 0) problems.push("emulator self-tests: no test ran");
	totals.passed += passed;
	totals.failed += failed;
	totals.skipped += skipped;
}

// One spec area (a folder under test/) on one VM: its output is kept and printed when it is done, so
// areas that run side by side still print one after another, line for line the same every run.
async function runArea(group) {
	const lines = [];
	const started = performance.now();
	const result = await runServer(
		group.tree,
		{
			mode: "test",
			seed,
			wallTimeout: 240,
			virtualTimeout: 30 * 24 * 3600,
			vm,
			...(nativeLuau ? { optimize, luauBin: nativeLuau.path } : {}),
		},
		(kind, text) => lines.push([kind, text]),
	);
	return { group, lines, result, seconds: (performance.now() - started) / 1000 };
}

async function runSpecs() {
	const place = preparePlace({ root, project: "test.project.json", compile });
	if (!place.ok) {
		printFailure(place.message);
		problems.push("TypeScript compile failed");
		return;
	}
	const { tree, kept } = filterSpecs(place.tree, filters);
	if (kept === 0) {
		problems.push(filters.length ? `no spec file matches ${filters.join(", ")}` : "no spec files under test/");
		return;
	}
	const groups = specGroups(tree);
	const vmName = nativeLuau ? `native Luau -O${optimize} (${nativeLuau.path})` : "luau-web";
	console.log(
		`\nSpecs: ${kept} file(s) in ${groups.length} area(s), compiled in ${place.compileSeconds.toFixed(1)} s, seed ${seed}, on ${vmName}`,
	);
	const started = performance.now();
	// each area in a VM of its own (luau-web's heap is fixed: see specGroups), a few at a time
	const runs = new Array(groups.length);
	let next = 0;
	let printed = 0;
	const areaTimes = [];
	const flush = () => {
		while (printed < groups.length && runs[printed]?.done) {
			const { group, lines, result, seconds } = runs[printed].done;
			const name = `test/${group.area}${group.part ? ` ${group.part}` : ""}`;
			console.log(`\n[${name}] ${group.kept} spec file(s)`);
			for (const [kind, text] of lines) printLine(kind, text);
			totals.passed += result.passed ?? 0;
			totals.failed += result.failed ?? 0;
			totals.skipped += result.skipped ?? 0;
			const virtual = Number(result.virtualSeconds ?? 0).toFixed(1);
			console.log(`[${name}] ${virtual} s virtual`);
			areaTimes.push(`${name} ${seconds.toFixed(1)} s`);
			// the area goes at the end of the first line, so a failure still reads "FAILED: <reason>"
			const where = ` (specs in ${name})`;
			for (const failure of result.failures ?? []) problems.push(failure.replace(/^[^\n]*/, (first) => first + where));
			if (!result.ok && (result.failures ?? []).length === 0) problems.push(`the spec run failed${where}`);
			printed += 1;
		}
	};
	const worker = async () => {
		while (next < groups.length) {
			const index = next++;
			runs[index] = { done: await runArea(groups[index]) };
			flush();
		}
	};
	const parallel = Math.max(1, Math.min(availableParallelism(), 4, groups.length));
	await Promise.all(Array.from({ length: parallel }, worker));
	flush();
	// real times vary run to run: they stay on this one line
	console.log(`\nSpecs ran in ${((performance.now() - started) / 1000).toFixed(1)} s real (${areaTimes.join(", ")})`);
}

if (selfTest) runSelfTests();
await runSpecs();

if (problems.length > 0) {
	console.log("");
	for (const problem of problems) printFailure(`FAILED: ${problem}`);
	if (totals.failed === 0) totals.failed = problems.length;
}
console.log(`\ntotal: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(problems.length > 0 ? 1 : 0);
