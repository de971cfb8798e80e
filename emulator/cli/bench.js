#!/usr/bin/env node
// `npm run bench`: runs every bench/*.bench.luau in a fresh emulated server of its own, on each VM —
// luau-web (the emulator's default) and the official native Luau CLI at -O1 and -O2 — then prints a
// table of ns/op per VM side by side and every target with its figure on each. Targets are judged on
// native -O2 (the VM Roblox runs, at the level live games get); luau-web and -O1 are reported beside.
// `--json` prints one machine-readable JSON object instead.
//
//   npm run bench                   all benchmarks, both VMs, table
//   npm run bench -- --vm native    only native Luau (-O1 and -O2); `--vm web` only luau-web
//   npm run bench -- --json         JSON: { vms, benchmarks, targets, failures, allHold }
//   npm run bench -- lock           only bench files whose name contains "lock"
//
// The native binary is LUAU_BIN, else `luau` on PATH. Without one the bench says so and runs luau-web
// only (nothing is judged then: the targets are for native Luau).
import { readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { preparePlace } from "../host/preparePlace.js";
import { runServer } from "../host/runServer.js";
import { printFailure, printLine } from "../host/output.js";
import { findNativeLuau } from "../host/findNativeLuau.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const args = process.argv.slice(2);
const json = args.includes("--json");
const vmIndex = args.indexOf("--vm");
const vmChoice = vmIndex >= 0 ? args[vmIndex + 1] : "both";
if (!["both", "web", "native"].includes(vmChoice)) {
	printFailure(`--vm takes web or native, got ${vmChoice ?? "nothing"}`);
	process.exit(2);
}
const filters = args.filter((arg, index) => !arg.startsWith("--") && !(vmIndex >= 0 && index === vmIndex + 1));
const log = json ? () => {} : (text) => console.log(text);

const benchDir = join(root, "bench");
const files = readdirSync(benchDir)
	.filter((file) => file.endsWith(".bench.luau"))
	.filter((file) => filters.length === 0 || filters.some((filter) => file.includes(filter)))
	.sort();
if (files.length === 0) {
	printFailure(`no bench/*.bench.luau file${filters.length ? ` matching ${filters.join(", ")}` : ""}`);
	process.exit(2);
}

// The VMs of this run, in the order their columns print. `judged` marks the one targets are judged on.
const vms = [];
const notes = [];
if (vmChoice !== "native") vms.push({ id: "web", label: "luau-web", options: {} });
if (vmChoice !== "web") {
	const native = findNativeLuau();
	if (native.ok) {
		for (const level of [1, 2]) {
			vms.push({
				id: `native-O${level}`,
				label: `native -O${level}`,
				options: { vm: "native", luauBin: native.path, optimize: level },
				judged: level === 2,
			});
		}
	} else {
		if (vmChoice === "native") {
			printFailure(native.message);
			process.exit(2);
		}
		notes.push(`${native.message}: running luau-web only, and nothing is judged (the targets are for native Luau)`);
	}
}
const judgedVm = vms.find((vm) => vm.judged);
for (const note of notes) (json ? console.error : console.log)(note);

const place = preparePlace({ root, project: "default.project.json" });
if (!place.ok) {
	printFailure(place.message);
	process.exit(1);
}

// Hand-written baselines and floors sit in ServerStorage.Baselines, one ModuleScript per
// bench/baselines/*.luau, so a bench requires them as game code requires a helper module (and Luau -O2
// cannot inline them into the bench's loops). The bench module itself is ServerStorage.Bench.
const baselinesDir = join(benchDir, "baselines");
const baselineModules = readdirSync(baselinesDir)
	.filter((file) => file.endsWith(".luau"))
	.sort()
	.map((file) => ({
		name: basename(file, ".luau"),
		className: "ModuleScript",
		source: readFileSync(join(baselinesDir, file), "utf8"),
		sourcePath: `bench/baselines/${file}`,
		children: [],
	}));

function withBenchModule(tree, name, source) {
	const serverStorage = {
		name: "ServerStorage",
		className: "ServerStorage",
		children: [
			{ name: "Bench", className: "ModuleScript", source, sourcePath: `bench/${name}`, children: [] },
			{ name: "Baselines", className: "Folder", children: baselineModules },
		],
	};
	return { ...tree, children: [...tree.children.filter((child) => child.name !== "ServerStorage"), serverStorage] };
}

// Rows of one file on several VMs line up by label and by how often that label came before (a bench
// may measure the same side twice).
function rowKeys(rows) {
	const seen = new Map();
	return rows.map((row) => {
		const count = seen.get(row.label) ?? 0;
		seen.set(row.label, count + 1);
		return `${row.label}\u0000${count}`;
	});
}

// Luau's JSON encoder writes an empty list as {}.
const list = (value) => (Array.isArray(value) ? value : []);

const report = {
	vms: vms.map(({ id, label }) => ({ id, label })),
	judgedOn: judgedVm?.id ?? null,
	notes,
	benchmarks: [],
	figures: [],
	targets: [],
	failures: [],
};
for (const file of files) {
	log(`\n== ${file}`);
	const source = readFileSync(join(benchDir, file), "utf8");
	const rowsByKey = new Map();
	const targetsById = new Map();
	const figuresById = new Map();
	for (const vm of vms) {
		log(`  -- ${vm.label}`);
		const startedAt = performance.now();
		const result = await runServer(
			withBenchModule(place.tree, file, source),
			// shared environments: product code keeps Luau's fast builtins, as scripts do on Roblox
			{ mode: "bench", benchModule: "ServerStorage.Bench", environment: "shared", seed: 1, wallTimeout: 300, ...vm.options },
			json ? () => {} : (kind, text) => printLine(kind, text, "   "),
		);
		log(`  -- ${vm.label}: ${((performance.now() - startedAt) / 1000).toFixed(1)} s`);
		if (!result.ok) {
			for (const failure of result.failures) report.failures.push(`${file} (${vm.label}): ${failure}`);
			if (!json) for (const failure of result.failures) printFailure(`FAILED: ${file} (${vm.label}): ${failure}`);
			continue;
		}
		const keys = rowKeys(list(result.bench.rows));
		list(result.bench.rows).forEach((row, index) => {
			const entry = rowsByKey.get(keys[index]) ?? { file, label: row.label, iterations: {}, nsPerOp: {} };
			entry.iterations[vm.id] = row.iterations;
			entry.nsPerOp[vm.id] = row.nsPerOp;
			rowsByKey.set(keys[index], entry);
		});
		for (const figure of list(result.bench.figures)) {
			const entry = figuresById.get(figure.id) ?? { file, id: figure.id, unit: figure.unit, vms: {} };
			entry.vms[vm.id] = { measured: figure.measured, description: figure.description };
			figuresById.set(figure.id, entry);
		}
		for (const target of list(result.bench.targets)) {
			const entry = targetsById.get(target.id) ?? {
				file,
				id: target.id,
				limit: target.limit,
				comparison: target.comparison,
				unit: target.unit,
				vms: {},
			};
			entry.vms[vm.id] = { measured: target.measured, holds: target.holds ?? null, applies: target.applies, description: target.description };
			targetsById.set(target.id, entry);
		}
	}
	const rows = [...rowsByKey.values()];
	report.benchmarks.push(...rows);
	if (rows.length > 0 && !json) {
		const header = `  ${"ns/op".padEnd(72)}${vms.map((vm) => vm.label.padStart(13)).join("")}`;
		log(header);
		for (const row of rows) {
			const cells = vms.map((vm) => (row.nsPerOp[vm.id] === undefined ? "-" : row.nsPerOp[vm.id].toFixed(1)).padStart(13));
			log(`  ${row.label.slice(0, 70).padEnd(72)}${cells.join("")}`);
		}
	}
	for (const entry of figuresById.values()) {
		entry.description = (entry.vms[judgedVm?.id] ?? Object.values(entry.vms)[0]).description;
		report.figures.push(entry);
		const cells = vms.map((vm) => (entry.vms[vm.id] ? String(Number(entry.vms[vm.id].measured.toPrecision(4))) : "-").padStart(13));
		log(`  ${`${entry.description} (${entry.unit})`.slice(0, 70).padEnd(72)}${cells.join("")}`);
	}
	for (const entry of targetsById.values()) {
		const judged = judgedVm ? entry.vms[judgedVm.id] : undefined;
		entry.description = (judged ?? Object.values(entry.vms)[0]).description;
		// Judged on native -O2 only; null when that VM did not run or the target does not bind there.
		entry.holds = judged && judged.applies ? judged.holds : null;
		entry.applies = judged ? judged.applies : null;
		report.targets.push(entry);
	}
}

const judgedTargets = report.targets.filter((target) => target.holds !== null);
report.allHold = judgedVm ? report.failures.length === 0 && judgedTargets.every((target) => target.holds) : null;

function figure(entry, vm) {
	const value = entry.vms[vm.id];
	if (!value) return "-";
	const mark = value.applies ? (value.holds ? "" : "!") : "~";
	return `${Number(value.measured.toPrecision(4))}${mark}`;
}

if (json) {
	console.log(JSON.stringify(report, null, 2));
} else {
	console.log(`\nTargets (measured in this run; judged on ${judgedVm ? judgedVm.label : "nothing: no native Luau"}; ! misses, ~ does not bind there)`);
	console.log(`  ${"verdict".padEnd(8)}${"target".padEnd(40)}${"limit".padEnd(13)}${vms.map((vm) => vm.label.padStart(13)).join("")}`);
	for (const target of report.targets) {
		const verdict = target.holds === null ? (target.applies === false ? "n/a" : "-") : target.holds ? "holds" : "MISSES";
		const limit = `${target.comparison} ${target.limit} ${target.unit}`;
		console.log(`  ${verdict.padEnd(8)}${target.id.padEnd(40)}${limit.padEnd(13)}${vms.map((vm) => figure(target, vm).padStart(13)).join("")}`);
		console.log(`  ${"".padEnd(8)}${target.description}`);
	}
	if (judgedVm) {
		console.log(`\n${judgedTargets.filter((t) => t.holds).length} of ${judgedTargets.length} binding targets hold on ${judgedVm.label}`);
	}
	for (const note of notes) console.log(note);
}
process.exit(report.failures.length > 0 ? 1 : 0);
