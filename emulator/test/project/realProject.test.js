import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { before, describe, it } from "node:test";
import { preparePlace } from "../../host/preparePlace.js";
import { buildTree } from "../../project/buildTree.js";
import { childNames, find } from "./helpers.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

function listFiles(folder, suffix) {
	if (!fs.existsSync(folder)) return [];
	return fs
		.readdirSync(folder, { recursive: true })
		.filter((file) => file.endsWith(suffix))
		.map((file) => file.split(path.sep).join("/"));
}

describe("the real test.project.json (compiled by rbxtsc --rojo first when out/ is missing)", () => {
	let game;
	let production;
	before(() => {
		const built =
			fs.existsSync(path.join(repoRoot, "include", "RuntimeLib.lua")) &&
			fs.existsSync(path.join(repoRoot, "out"));
		// preparePlace holds the emulator's compile lock, so this never reads out/ halfway through a compile.
		const prepared = preparePlace({ root: repoRoot, project: "test.project.json", compile: !built });
		assert.ok(prepared.ok, prepared.message);
		game = prepared.tree;
		production = buildTree(path.join(repoRoot, "default.project.json"));
	});

	it("builds the game with server code, specs, the roblox-ts runtime and TestEZ", () => {
		assert.equal(game.className, "DataModel");
		assert.equal(find(game, "ServerScriptService").className, "ServerScriptService");
		assert.equal(find(game, "ServerScriptService.TS").className, "Folder");
		assert.equal(find(game, "ServerScriptService.Tests").className, "Folder");
		const include = find(game, "ReplicatedStorage.rbxts_include");
		assert.equal(find(include, "RuntimeLib").className, "ModuleScript");
		assert.equal(find(include, "Promise").className, "ModuleScript");
		assert.match(find(include, "RuntimeLib").source, /WaitForChild|Promise/);
		assert.equal(find(include, "node_modules.@rbxts.testez.src").className, "ModuleScript");
		assert.equal(find(include, "node_modules.@rbxts.testez.src.TestBootstrap").className, "ModuleScript");
		assert.equal(find(include, "node_modules.@rbxts.services").className, "ModuleScript");
		assert.equal(find(game, "ReplicatedStorage.Shared.guard").className, "ModuleScript");
		assert.deepEqual(find(game, "HttpService").properties, { HttpEnabled: false });
	});

	it("every compiled spec and server script is in the tree, at the path Rojo gives it", () => {
		const specs = listFiles(path.join(repoRoot, "out", "test"), ".spec.luau");
		assert.ok(specs.length > 0, "no compiled specs in out/test");
		for (const spec of specs) {
			const names = spec.replace(/\.luau$/, "").split("/");
			const node = find(find(game, "ServerScriptService.Tests"), names);
			assert.equal(node.className, "ModuleScript");
			assert.equal(node.sourcePath, `out/test/${spec}`);
			assert.equal(node.source, fs.readFileSync(path.join(repoRoot, "out", "test", spec), "utf8"));
		}
		for (const server of listFiles(path.join(repoRoot, "out", "src", "server"), ".server.luau")) {
			const names = server.replace(/\.server\.luau$/, "").split("/");
			assert.equal(find(find(game, "ServerScriptService.TS"), names).className, "Script");
		}
	});

	it("globIgnorePaths keep package.json and tsconfig.json out; .d.ts and .md never appear", () => {
		const names = [];
		const visit = (node) => {
			names.push(node.name);
			node.children.forEach(visit);
		};
		visit(game);
		assert.ok(!names.includes("package"), "package.json was synced");
		assert.ok(!names.includes("tsconfig"), "tsconfig.json was synced");
		assert.ok(!names.some((name) => name.endsWith(".d")), "a .d.ts file was synced");
		assert.deepEqual(childNames(find(game, "ReplicatedStorage.rbxts_include.node_modules.@rbxts.testez")), ["src"]);
	});

	it("the production default.project.json carries no specs", () => {
		assert.deepEqual(childNames(find(production, "ServerScriptService")), ["TS"]);
	});
});
