import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { buildTree } from "../../project/buildTree.js";
import { build, childNames, find } from "./helpers.js";

describe("output shape", () => {
	it("children are sorted by name in code-unit order, file and project children together", () => {
		assert.deepEqual(childNames(build("ordering")), [
			"Alpha",
			"C",
			"Same",
			"Same",
			"Same",
			"Zed",
			"_under",
			"a",
			"b",
		]);
	});

	it("duplicate names are all kept: files first (in file-name order), then project children", () => {
		const same = build("ordering").children.filter((child) => child.name === "Same");
		assert.deepEqual(
			same.map((child) => [child.className, child.sourcePath]),
			[
				["ModuleScript", "src/Same.lua"],
				["Script", "src/Same.server.lua"],
				["Folder", undefined],
			],
		);
	});

	it("the same input gives byte-identical JSON", () => {
		const first = JSON.stringify(build("nested-project"));
		const second = JSON.stringify(build("nested-project"));
		assert.equal(first, second);
		assert.equal(JSON.stringify(build("ordering")), JSON.stringify(build("ordering")));
	});

	it("nodes carry only the documented fields, in a fixed order, with empty optional fields left out", () => {
		const allowed = ["name", "className", "properties", "attributes", "tags", "source", "sourcePath", "children"];
		const visit = (node) => {
			const keys = Object.keys(node);
			assert.deepEqual(
				keys,
				allowed.filter((key) => keys.includes(key)),
				`field order of ${node.name}`,
			);
			for (const key of ["properties", "attributes"]) {
				if (key in node) assert.ok(Object.keys(node[key]).length > 0, `empty ${key} on ${node.name}`);
			}
			node.children.forEach(visit);
		};
		for (const folder of ["project-basics", "meta-files", "model-files", "nested-project", "ordering"])
			visit(build(folder));
		assert.equal(
			JSON.stringify(JSON.parse(JSON.stringify(build("meta-files")))),
			JSON.stringify(build("meta-files")),
		);
	});

	it("scripts' CRLF line endings are normalised to LF, as Rojo does", () => {
		const folder = fs.mkdtempSync(path.join(os.tmpdir(), "rojo-crlf-"));
		try {
			fs.writeFileSync(
				path.join(folder, "default.project.json"),
				JSON.stringify({ name: "Crlf", tree: { $path: "src" } }),
			);
			fs.mkdirSync(path.join(folder, "src", "Empty"), { recursive: true });
			fs.writeFileSync(path.join(folder, "src", "Mod.lua"), "local a = 1\r\nreturn a\r\n");
			const root = buildTree(folder);
			assert.equal(find(root, "Mod").source, "local a = 1\nreturn a\n");
			assert.equal(find(root, "Empty").className, "Folder");
			assert.deepEqual(childNames(find(root, "Empty")), []);
		} finally {
			fs.rmSync(folder, { recursive: true, force: true });
		}
	});
});
