import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { build, buildError, childNames, find } from "./helpers.js";

describe("meta files", () => {
	it("<name>.meta.json beside a script adds its properties and attributes", () => {
		const door = find(build("meta-files"), "Door");
		assert.equal(door.className, "Script");
		assert.deepEqual(door.properties, { Disabled: true });
		assert.deepEqual(door.attributes, { Owner: "ops", Weight: 2 });
	});

	it("meta files apply to .txt and .json instances too, and are never instances themselves", () => {
		const root = build("meta-files");
		assert.deepEqual(find(root, "notes").tags, ["Readme"]);
		assert.deepEqual(find(root, "notes").properties, { Value: "hello" });
		assert.deepEqual(find(root, "Config").attributes, { Version: 2 });
		assert.deepEqual(childNames(root), ["Bag", "Config", "Door", "Mod", "notes"]);
	});

	it("init.meta.json className turns a directory into that class, with its properties and attributes", () => {
		const bag = find(build("meta-files"), "Bag");
		assert.equal(bag.className, "Configuration");
		assert.deepEqual(bag.tags, ["Bag"]);
		assert.deepEqual(bag.attributes, { Slots: 4 });
		assert.deepEqual(childNames(bag), ["Item"]);
	});

	it("init.meta.json applies to the script an init file makes of its directory", () => {
		const mod = find(build("meta-files"), "Mod");
		assert.equal(mod.className, "ModuleScript");
		assert.deepEqual(mod.tags, ["Mod"]);
		assert.deepEqual(mod.attributes, { Kind: "init" });
	});

	it("className in init.meta.json beside an init script is Rojo's error", () => {
		buildError("meta-files", "conflict.project.json", "className in init.meta.json", "init.meta.json", "Script");
	});

	it("a malformed meta file is an error naming it", () => {
		buildError("meta-files", "malformed.project.json", "not valid JSON", "Thing.meta.json");
	});
});

describe("JSON models", () => {
	it("PascalCase models: the file names the root (top-level Name ignored), children nest", () => {
		const root = build("model-files");
		const model = find(root, "Pascal");
		assert.equal(model.className, "Model");
		assert.deepEqual(model.properties, { Archivable: true });
		assert.deepEqual(childNames(model), ["Folder", "Score"]);
		assert.deepEqual(find(model, "Score").properties, { Value: 5 });
		assert.equal(find(model, "Folder").className, "Folder");
		assert.ok(!childNames(root).includes("IgnoredRootName"));
	});

	it("camelCase models with attributes; a script's Source property becomes its source", () => {
		const camel = find(build("model-files"), "Camel");
		assert.equal(camel.className, "Configuration");
		assert.deepEqual(camel.attributes, { Speed: 16 });
		const inner = find(camel, "Inner");
		assert.equal(inner.className, "ModuleScript");
		assert.equal(inner.source, "return 'inner'");
		assert.equal(inner.sourcePath, "src/Camel.model.json");
	});

	it("an empty model file makes no instance", () => {
		assert.deepEqual(childNames(build("model-files")), ["Camel", "Pascal"]);
	});

	it("a model without a className is an error naming the file", () => {
		buildError("model-files", "bad.project.json", '"className"', "NoClass.model.json");
	});
});
