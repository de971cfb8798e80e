import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { build, buildError, childNames, find } from "./helpers.js";

describe("$path", () => {
	it("a $path directory becomes a Folder named by the project key, with its files as children", () => {
		const things = find(build("path-rules"), "ServerStorage.Things");
		assert.equal(things.className, "Folder");
		assert.equal(things.sourcePath, "src/things");
		assert.deepEqual(childNames(things), ["Tool"]);
		assert.equal(find(things, "Tool").source, "return 'tool'\n");
	});

	it("a service-named DataModel child with a $path directory becomes the service", () => {
		const storage = find(build("path-rules"), "ReplicatedStorage");
		assert.equal(storage.className, "ReplicatedStorage");
		assert.deepEqual(childNames(storage), ["Shared"]);
	});

	it("$className with a $path directory takes the class from $className", () => {
		const model = find(build("path-rules"), "Workspace.Model");
		assert.equal(model.className, "Model");
		assert.deepEqual(childNames(model), ["Tool"]);
	});

	it("a $path file keeps the file's class under the project key, and project children are added", () => {
		const script = find(build("path-rules"), "Lighting.Script");
		assert.equal(script.className, "ModuleScript");
		assert.equal(script.source, "return 'tool'\n");
		assert.equal(script.sourcePath, "src/things/Tool.lua");
		assert.deepEqual(childNames(script), ["Extra"]);
	});

	it("$className with a $path that is not a directory is Rojo's class conflict error", () => {
		buildError("path-rules", "conflict.project.json", 'ClassName for Instance "Tool"', '"Model"', '"ModuleScript"');
	});

	it("a missing $path names the project file, the instance and the path", () => {
		const error = buildError(
			"path-rules",
			"missing.project.json",
			"could not be turned into a Roblox Instance",
			"Project path:",
			"missing.project.json",
			"File $path: out/test",
			"Missing.ServerScriptService.Tests",
			"Nothing exists at",
		);
		assert.equal(error.instancePath, "Missing.ServerScriptService.Tests");
	});

	it("a missing $path is an error even when $className is set", () => {
		buildError("path-rules", "missing-with-class.project.json", "File $path: nowhere", "MissingWithClass.Gone");
	});

	it("a $path to a file type Rojo does not sync is an error that says so", () => {
		buildError(
			"path-rules",
			"unknown-type.project.json",
			"not a file type Rojo turns into an instance",
			"README.md",
		);
	});

	it("an optional $path that is missing drops the node; one that exists is used", () => {
		const testService = find(build("path-rules"), "TestService");
		assert.deepEqual(childNames(testService), ["Present"]);
		assert.equal(find(testService, "Present").className, "Folder");
	});
});
