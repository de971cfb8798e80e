import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { globToRegExp } from "../../project/globPattern.js";
import { build, childNames, find } from "./helpers.js";

describe("globIgnorePaths", () => {
	it("excludes matching files and directories anywhere in the tree, relative to the project folder", () => {
		const root = build("glob-ignore");
		assert.deepEqual(childNames(root), ["Keep", "cx", "deep", "scratch", "three", "xy"]);
		// "src/scratch/**" matches what is inside the folder, not the folder itself (globset semantics).
		assert.deepEqual(childNames(find(root, "scratch")), []);
		assert.deepEqual(childNames(find(root, "deep")), ["er"]);
		assert.deepEqual(childNames(find(root, "deep.er")), ["Thing"]);
	});

	it("a bare *.pattern matches at any depth, because globset's * crosses /", () => {
		const root = build("glob-ignore", "star.project.json");
		assert.ok(!childNames(root).includes("Keep.spec"));
		assert.deepEqual(childNames(find(root, "deep.er")), ["Thing"]);
		assert.ok(childNames(root).includes("x"));
	});

	it("glob syntax: **, *, ?, classes and alternation", () => {
		const cases = [
			["**/package.json", "package.json", true],
			["**/package.json", "a/b/package.json", true],
			["**/package.json", "a/xpackage.json", false],
			["src/**", "src/a/b.lua", true],
			["src/**", "src", false],
			["a/**/b", "a/b", true],
			["a/**/b", "a/x/y/b", true],
			["*.lua", "a/b.lua", true],
			["src/?.lua", "src/x.lua", true],
			["src/?.lua", "src/xy.lua", false],
			["[ab]x", "bx", true],
			["[!ab]x", "bx", false],
			["[!ab]x", "cx", true],
			["{one,two}.lua", "two.lua", true],
			["{one,two}.lua", "three.lua", false],
			["a.b", "aXb", false],
			["\\*.lua", "*.lua", true],
			["\\*.lua", "x.lua", false],
		];
		for (const [glob, candidate, expected] of cases) {
			assert.equal(globToRegExp(glob).test(candidate), expected, `${glob} vs ${candidate}`);
		}
	});
});
