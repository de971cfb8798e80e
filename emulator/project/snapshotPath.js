/**
 * Rojo 7.4's file-system rules: what a directory or a file turns into. The rule table is checked
 * in Rojo's order (first match wins), so `x.server.lua` is a Script before `*.lua` sees it and a
 * `.meta.json` is never mistaken for a JSON module.
 */
import fs from "node:fs";
import path from "node:path";
import { ProjectBuildError } from "./ProjectBuildError.js";
import { compareNames, newInstance } from "./instance.js";
import { readJsonFile } from "./jsonFile.js";
import { jsonToLuau } from "./jsonToLuau.js";
import { snapshotJsonModel } from "./jsonModel.js";
import { applyAdjacentMeta, applyDirectoryMeta } from "./metaFile.js";
import { snapshotProject } from "./projectFile.js";

/** Files that make their directory into something else, in Rojo's priority order. */
const INIT_FILES = [
	["default.project.json", "project"],
	["init.luau", "module"],
	["init.lua", "module"],
	["init.server.luau", "server"],
	["init.server.lua", "server"],
	["init.client.luau", "client"],
	["init.client.lua", "client"],
	["init.csv", "csv"],
];
const INIT_FILE_NAMES = new Set(INIT_FILES.map(([fileName]) => fileName));

/** Rojo's default sync rules, in order. The instance name is the file name minus the suffix. */
const FILE_RULES = [
	[".server.lua", "server"],
	[".server.luau", "server"],
	[".client.lua", "client"],
	[".client.luau", "client"],
	[".plugin.lua", "plugin"],
	[".plugin.luau", "plugin"],
	[".lua", "module"],
	[".luau", "module"],
	[".project.json", "project"],
	[".model.json", "model"],
	[".meta.json", "none"],
	[".json", "json"],
	[".toml", "unsupported"],
	[".csv", "csv"],
	[".txt", "text"],
	[".rbxmx", "unsupported"],
	[".rbxm", "unsupported"],
];

/** @returns {[string, string] | undefined} [instance name, rule kind] for a file name Rojo knows */
export function matchFileRule(fileName) {
	for (const [suffix, kind] of FILE_RULES) {
		if (fileName.endsWith(suffix) && fileName.length > suffix.length) {
			return [fileName.slice(0, -suffix.length), kind];
		}
	}
	return undefined;
}

function childPath(parentPath, name) {
	return parentPath === undefined ? name : `${parentPath}.${name}`;
}

/** Script class (and RunContext, when it is not the legacy default) for a script kind. */
function scriptClass(kind, context) {
	if (kind === "module") return ["ModuleScript", undefined];
	if (kind === "plugin") return ["Script", "Plugin"];
	if (context.emitLegacyScripts) return kind === "server" ? ["Script", undefined] : ["LocalScript", undefined];
	return ["Script", kind === "server" ? "Server" : "Client"];
}

function snapshotScript(context, filePath, name, kind, instancePath) {
	const [className, runContext] = scriptClass(kind, context);
	const instance = newInstance(name, className);
	// Rojo normalises line endings of scripts (not of .txt files).
	instance.source = fs.readFileSync(filePath, "utf8").replace(/\r\n/g, "\n");
	instance.sourcePath = context.relative(filePath);
	if (runContext !== undefined) instance.properties.RunContext = runContext;
	applyAdjacentMeta(instance, filePath, name, context, instancePath);
	return instance;
}

function snapshotFile(context, filePath, parentPath, nameOverride) {
	const fileName = path.basename(filePath);
	// An init file stands for its directory; on its own it makes nothing.
	if (INIT_FILE_NAMES.has(fileName) && fileName !== "default.project.json") return undefined;
	const rule = matchFileRule(fileName);
	if (rule === undefined) return undefined;
	const [name, kind] = rule;
	const instancePath = childPath(parentPath, nameOverride ?? name);
	switch (kind) {
		case "server":
		case "client":
		case "plugin":
		case "module":
			return snapshotScript(context, filePath, name, kind, instancePath);
		case "project":
			return snapshotProject(context, filePath, name, parentPath, nameOverride);
		case "model":
			return snapshotJsonModel(context, filePath, name, parentPath);
		case "json": {
			const instance = newInstance(name, "ModuleScript");
			instance.source = jsonToLuau(readJsonFile(filePath, "a JSON module", context.display));
			instance.sourcePath = context.relative(filePath);
			applyAdjacentMeta(instance, filePath, name, context, instancePath);
			return instance;
		}
		case "text": {
			const instance = newInstance(name, "StringValue");
			instance.properties.Value = fs.readFileSync(filePath, "utf8");
			instance.sourcePath = context.relative(filePath);
			applyAdjacentMeta(instance, filePath, name, context, instancePath);
			return instance;
		}
		case "unsupported":
			throw new ProjectBuildError(
				`Rojo would turn this file into an instance, but the emulator cannot read ${path.extname(fileName)} files. ` +
					"Remove it, or leave it out with the project's globIgnorePaths.",
				{ file: context.display(filePath), instancePath },
			);
		default:
			// "none" (meta files) and "csv" (LocalizationTable, not emulated) make no instance.
			return undefined;
	}
}

function readChildren(context, dirPath, instancePath) {
	const children = [];
	// Sorted so that duplicate names come out in the same order on every file system.
	const entries = fs.readdirSync(dirPath).sort(compareNames);
	for (const entry of entries) {
		const entryPath = path.join(dirPath, entry);
		if (context.isIgnored(entryPath)) continue;
		const child = snapshotPath(context, entryPath, instancePath);
		if (child !== undefined) children.push(child);
	}
	return children;
}

function snapshotDirectory(context, dirPath, parentPath, nameOverride) {
	const name = path.basename(dirPath);
	const instancePath = childPath(parentPath, nameOverride ?? name);
	const init = INIT_FILES.find(([fileName]) => fs.existsSync(path.join(dirPath, fileName)));
	if (init !== undefined && init[1] === "project") {
		return snapshotProject(context, path.join(dirPath, init[0]), name, parentPath, nameOverride);
	}
	let instance;
	if (init !== undefined && init[1] !== "csv") {
		const initPath = path.join(dirPath, init[0]);
		instance = snapshotScript(context, initPath, name, init[1], instancePath);
	} else {
		instance = newInstance(name, "Folder");
		instance.sourcePath = context.relative(dirPath);
	}
	instance.children.push(...readChildren(context, dirPath, instancePath));
	applyDirectoryMeta(instance, dirPath, context, instancePath);
	return instance;
}

/**
 * Builds the instance a file or directory turns into under Rojo's rules.
 * @param {object} context builder context
 * @param {string} absolutePath file or directory
 * @param {string | undefined} parentPath dotted instance path of the parent, for error messages
 * @param {string} [nameOverride] the name the caller will give the instance (a project key)
 * @returns {object | undefined} the instance, or undefined when Rojo makes none (missing path,
 *   unknown file type, init file on its own, meta file, empty model)
 */
export function snapshotPath(context, absolutePath, parentPath, nameOverride) {
	const stats = fs.statSync(absolutePath, { throwIfNoEntry: false });
	if (stats === undefined) return undefined;
	if (stats.isDirectory()) return snapshotDirectory(context, absolutePath, parentPath, nameOverride);
	return snapshotFile(context, absolutePath, parentPath, nameOverride);
}
