import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { build, buildError, childNames, find } from "./helpers.js";

describe("nested projects", () => {
	it("a $path to a project file uses that project's tree under the including key", () => {
		const lib = find(build("nested-project"), "ReplicatedStorage.Lib");
		assert.equal(lib.className, "ModuleScript");
		assert.equal(lib.source, "return 'lib'\n");
		assert.deepEqual(lib.attributes, { Nested: true });
	});

	it("paths inside a nested project resolve against its own folder; sourcePath stays relative to the top project", () => {
		const lib = find(build("nested-project"), "ReplicatedStorage.Lib");
		assert.equal(lib.sourcePath, "packages/lib/src/init.lua");
		assert.equal(find(lib, "Public").sourcePath, "packages/lib/src/Public.lua");
	});

	it("a nested project's globIgnorePaths apply only inside its folder; the outer project's apply too", () => {
		const root = build("nested-project");
		// lib ignores **/Private.lua and the outer project **/*.skip.lua: both hold in lib/src.
		assert.deepEqual(childNames(find(root, "ReplicatedStorage.Lib")), ["Outside", "Public"]);
		// lib's $path "../outside" leaves lib's folder, where lib's globs do not reach (Rojo strips the prefix).
		assert.deepEqual(childNames(find(root, "ReplicatedStorage.Lib.Outside")), ["Private"]);
		// A sibling project never sees lib's globs.
		assert.deepEqual(childNames(find(root, "ReplicatedStorage.Pkg.Code")), ["Main", "Private"]);
	});

	it("children of the including node are added to the nested project's root", () => {
		const extended = find(build("nested-project"), "ReplicatedStorage.Extended");
		assert.deepEqual(childNames(extended), ["Added", "Outside", "Public"]);
	});

	it("a directory holding default.project.json is that project", () => {
		const root = build("nested-project");
		const pkg = find(root, "ReplicatedStorage.Pkg");
		assert.equal(pkg.className, "Folder");
		assert.deepEqual(childNames(pkg), ["Code"]);
		const inDir = find(build("nested-project", "pkg-in-dir.project.json"), "Packages");
		// packages/pkg has default.project.json: it becomes the project, named by that project.
		assert.deepEqual(childNames(inDir), ["PkgProjectName", "lib", "outside"]);
		assert.deepEqual(childNames(find(inDir, "PkgProjectName")), ["Code"]);
	});

	it("projects that include each other are an error listing the cycle", () => {
		buildError("nested-project", "cycle/a.project.json", "cycle", "a.project.json -> ", "b.project.json");
	});
});
