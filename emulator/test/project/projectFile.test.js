import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { build, buildError, childNames, find } from "./helpers.js";

describe("project file", () => {
	it("the root takes the project name and $className; other keys are children", () => {
		const root = build("project-basics");
		assert.equal(root.name, "Basics");
		assert.equal(root.className, "DataModel");
		assert.deepEqual(childNames(root), ["Direct", "NotAService", "ReplicatedStorage", "Workspace"]);
	});

	it("a DataModel child named like a service without $className becomes that service", () => {
		const root = build("project-basics");
		assert.equal(find(root, "ReplicatedStorage").className, "ReplicatedStorage");
		assert.equal(find(root, "Workspace").className, "Workspace");
		assert.equal(find(root, "NotAService").className, "Folder");
	});

	it("a node with neither $className, $path nor a service name is an error naming the node", () => {
		buildError(
			"project-basics",
			"no-class.project.json",
			'Instance "Mystery"',
			"NoClass.Mystery",
			"no-class.project.json",
		);
	});

	it("$properties keep implicit and simple explicit values; Name and Parent are ignored", () => {
		const root = build("project-basics");
		assert.deepEqual(find(root, "ReplicatedStorage.Greeting").properties, { Value: "hi" });
		assert.deepEqual(find(root, "ReplicatedStorage.Count").properties, { Value: 7 });
		assert.deepEqual(find(root, "Workspace").properties, { Gravity: 100 });
		const config = find(root, "ReplicatedStorage.Config");
		assert.equal(config.name, "Config");
		assert.equal(config.properties, undefined);
	});

	it("Tags go to tags, and $attributes replace an Attributes property as in Rojo", () => {
		const config = find(build("project-basics"), "ReplicatedStorage.Config");
		assert.deepEqual(config.tags, ["Alpha", "Beta"]);
		assert.deepEqual(config.attributes, { Enabled: true, Label: "gold", Level: 3, Ratio: 0.5 });
	});

	it("a Source property on a script class becomes its source", () => {
		const inline = find(build("project-basics"), "ReplicatedStorage.Inline");
		assert.equal(inline.className, "ModuleScript");
		assert.equal(inline.source, "return 42");
		assert.equal(inline.properties, undefined);
	});

	it("a value the emulator cannot represent is refused with the property named", () => {
		buildError(
			"project-basics",
			"bad-value.project.json",
			'Property "Position"',
			"[1,2,3]",
			"bad-value.project.json",
		);
	});

	it("an unknown $ key is refused instead of becoming a child", () => {
		buildError("project-basics", "typo.project.json", '"$classname"', "Typo.Thing");
	});

	it("an unnamed project is named after its file, or its folder for default.project.json", () => {
		assert.equal(build("project-basics", "unnamed.project.json").name, "unnamed");
		assert.equal(build("project-basics", "unnamed-dir/default.project.json").name, "unnamed-dir");
		// Included by $path, the root takes the including key whatever the project's own name.
		assert.equal(find(build("project-basics"), "Direct").className, "Folder");
	});
});
