import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { build, buildError, childNames, find } from "./helpers.js";

describe("directories and init files", () => {
	it("init.luau makes the directory a ModuleScript whose other files are its children", () => {
		const moduleDir = find(build("init-scripts"), "ModuleDir");
		assert.equal(moduleDir.className, "ModuleScript");
		assert.equal(moduleDir.source, "return { child = script.Child }\n");
		assert.equal(moduleDir.sourcePath, "src/ModuleDir/init.luau");
		assert.deepEqual(childNames(moduleDir), ["Child"]);
	});

	it("init.server.luau makes a Script and init.client.lua a LocalScript", () => {
		const root = build("init-scripts");
		assert.equal(find(root, "ServerDir").className, "Script");
		assert.deepEqual(childNames(find(root, "ServerDir")), ["Helper"]);
		assert.equal(find(root, "ClientDir").className, "LocalScript");
		assert.equal(find(root, "ClientDir").source, "print('client')\n");
	});

	it("init.luau wins over init.lua, a module init over a server init, a server init over a client init", () => {
		const root = build("init-scripts");
		assert.equal(find(root, "BothDir").source, "return 'luau'\n");
		assert.deepEqual(childNames(find(root, "BothDir")), []);
		assert.equal(find(root, "ServerVsModule").className, "ModuleScript");
		assert.equal(find(root, "ServerVsModule").source, "return 'module wins'\n");
		assert.equal(find(root, "ServerVsClient").className, "Script");
	});

	it("a directory without an init file is a Folder", () => {
		const plain = find(build("init-scripts"), "PlainDir");
		assert.equal(plain.className, "Folder");
		assert.equal(plain.source, undefined);
		assert.deepEqual(childNames(plain), ["Leaf"]);
	});
});

describe("script files", () => {
	it("*.server.lua(u) are Scripts, *.client.lua(u) LocalScripts, *.lua(u) ModuleScripts, named without suffixes", () => {
		const root = build("script-files");
		const classes = Object.fromEntries(root.children.map((child) => [child.name, child.className]));
		assert.deepEqual(classes, {
			".hidden": "ModuleScript",
			Boot: "Script",
			Boot2: "Script",
			Tool: "Script",
			Ui: "LocalScript",
			Ui2: "LocalScript",
			Util: "ModuleScript",
			Util2: "ModuleScript",
			"dotted.name": "ModuleScript",
		});
		assert.equal(find(root, "Boot2").source, "print(2)\n");
		assert.equal(find(root, "Boot2").sourcePath, "src/Boot2.server.luau");
	});

	it("legacy scripts carry no RunContext; *.plugin.lua is a Script with RunContext Plugin", () => {
		const root = build("script-files");
		assert.equal(find(root, "Boot").properties, undefined);
		assert.deepEqual(find(root, "Tool").properties, { RunContext: "Plugin" });
	});

	it("emitLegacyScripts false makes server and client scripts Scripts with a RunContext", () => {
		const root = build("script-files", "legacy-off.project.json");
		assert.equal(find(root, "Ui").className, "Script");
		assert.deepEqual(find(root, "Ui").properties, { RunContext: "Client" });
		assert.deepEqual(find(root, "Boot").properties, { RunContext: "Server" });
		assert.equal(find(root, "Util").className, "ModuleScript");
	});
});

describe("other files", () => {
	it("*.txt is a StringValue whose Value is the file text, unnormalised", () => {
		const notes = find(build("other-files"), "notes");
		assert.equal(notes.className, "StringValue");
		assert.deepEqual(notes.properties, { Value: "line one\r\nline two\n" });
	});

	it("csv, markdown, .d.ts, stray meta files and unknown files make no instance; hidden files are kept", () => {
		assert.deepEqual(childNames(build("other-files")), ["notes"]);
		assert.ok(childNames(build("script-files")).includes(".hidden"));
	});

	it("a .toml file (a module in Rojo) is refused rather than silently dropped", () => {
		buildError("other-files", "toml.project.json", "cannot read .toml files", "config.toml", "globIgnorePaths");
	});
});
