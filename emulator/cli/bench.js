#!/usr/bin/env node
// `npm run bench`: runs every bench/*.bench.luau in a fresh emulated server of its own (each gets the
// whole ~16 MiB luau-web heap), then prints a table of ns/op and the targets with their ratios, all
// measured in this one run. `--json` prints one machine-readable JSON object instead.
//
//   npm run bench                 all benchmarks, table
//   npm run bench -- --json       JSON: { benchmarks: [...], targets: [...], allHold }
//   npm run bench -- lock         only bench files whose name contains "lock"
//   npm run bench -- --vm native  on the native Luau CLI (LUAU_BIN, else luau on PATH)
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { preparePlace } from "../host/preparePlace.js";
import { runServer, VMS } from "../host/runServer.js";
import { printFailure, printLine } from "../host/output.js";
import { findNativeLuau } from "../host/findNativeLuau.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const args = process.argv.slice(2);
const json = args.includes("--json");
const vmIndex = args.indexOf("--vm");
const vm = vmIndex >= 0 ? args[vmIndex + 1] : "web";
const filters = args.filter((arg, index) => !arg.startsWith("--") && (vmIndex < 0 || index !== vmIndex + 1));
if (!VMS.includes(vm)) {
	printFailure(`--vm needs one of ${VMS.join(", ")}, got ${vm}`);
	process.exit(2);
}
const nativeLuau = vm === "native" ? findNativeLuau() : null;
if (nativeLuau && !nativeLuau.ok) {
	printFailure(nativeLuau.message);
	process.exit(2);
}
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

const place = preparePlace({ root, project: "default.project.json" });
if (!place.ok) {
	printFailure(place.message);
	process.exit(1);
}

// The bench module sits in ServerStorage so it can require the product like game code does.
function withBenchModule(tree, name, source) {
	const serverStorage = { name: "ServerStorage", className: "ServerStorage", children: [
		{ name: "Bench", className: "ModuleScript", source, sourcePath: `bench/${name}`, children: [] },
	] };
	return { ...tree, children: [...tree.children.filter((child) => child.name !== "ServerStorage"), serverStorage] };
}

const report = { benchmarks: [], targets: [], failures: [] };
for (const file of files) {
	log(`\n== ${file}`);
	const source = readFileSync(join(benchDir, file), "utf8");
	const result = await runServer(
		withBenchModule(place.tree, file, source),
		// shared environments: product code keeps Luau's fast builtins, as scripts do on Roblox
		{
			mode: "bench",
			benchModule: "ServerStorage.Bench",
			environment: "shared",
			seed: 1,
			wallTimeout: 300,
			vm,
			// the bench's own copy of the VM name (the runners keep `vm` out of the engine's options)
			benchVm: vm,
			...(nativeLuau ? { luauBin: nativeLuau.path } : {}),
		},
		json ? () => {} : (kind, text) => printLine(kind, text, " "),
	);
	if (!result.ok) {
		for (const failure of result.failures) report.failures.push(`${file}: ${failure}`);
		if (!json) for (const failure of result.failures) printFailure(`FAILED: ${file}: ${failure}`);
		continue;
	}
	for (const row of result.bench.rows) {
		report.benchmarks.push({ file, ...row });
		log(`  ${row.label.padEnd(64)} ${row.nsPerOp.toFixed(1).padStart(12)} ns/op`);
	}
	for (const target of result.bench.targets) {
		report.targets.push({ file, ...target });
	}
}

report.allHold = report.failures.length === 0 && report.targets.every((target) => target.holds);
if (json) {
	console.log(JSON.stringify(report, null, 2));
} else {
	console.log("\nTargets (measured in this run)");
	for (const target of report.targets) {
		const measured = `${Number(target.measured.toPrecision(4))} ${target.unit}`;
		const limit = `${target.comparison} ${target.limit} ${target.unit}`;
		console.log(
			`  ${target.holds ? "holds " : "MISSES"}  ${target.id.padEnd(34)} ${measured.padStart(14)}  (${limit})  ${target.description}`,
		);
	}
	console.log(`\n${report.targets.filter((t) => t.holds).length} of ${report.targets.length} targets hold`);
}
process.exit(report.failures.length > 0 ? 1 : 0);
