/**
 * Builds the game's DataModel from a Rojo project file by Rojo 7.4's rules, as a plain
 * JSON-serialisable InstanceNode tree for the Luau engine. Synchronous and side-effect free:
 * it only reads files. See README.md in this folder for the rules supported and the differences.
 */
import fs from "node:fs";
import path from "node:path";
import { ProjectBuildError } from "./ProjectBuildError.js";
import { toInstanceNode } from "./instance.js";
import { snapshotProject } from "./projectFile.js";

export { ProjectBuildError } from "./ProjectBuildError.js";

function toForwardSlashes(text) {
	return text.split(path.sep).join("/");
}

function createContext(projectFolder) {
	return {
		/** Path relative to the top-level project folder: stable across machines, used as sourcePath. */
		relative: (absolutePath) => toForwardSlashes(path.relative(projectFolder, absolutePath)) || ".",
		/** How error messages name a file: relative to the working directory when inside it. */
		display: (absolutePath) => {
			const fromCwd = path.relative(process.cwd(), absolutePath);
			return fromCwd.startsWith("..") || path.isAbsolute(fromCwd) ? absolutePath : toForwardSlashes(fromCwd);
		},
		isIgnored(absolutePath) {
			for (const rule of this.ignoreRules) {
				const relative = path.relative(rule.base, absolutePath);
				// Rojo only applies a project's globs to paths inside that project's folder.
				if (relative.startsWith("..") || path.isAbsolute(relative)) continue;
				if (rule.regex.test(toForwardSlashes(relative))) return true;
			}
			return false;
		},
		ignoreRules: [],
		emitLegacyScripts: true,
		projectStack: [],
	};
}

/**
 * Reads a Rojo project and returns its instance tree.
 *
 * @example
 * const game = buildTree("test.project.json");
 * game.children.find((c) => c.name === "ServerScriptService"); // { className: "ServerScriptService", ... }
 *
 * @param {string} projectFilePath a `*.project.json` file, or a folder holding `default.project.json`
 * @returns {{ name: string, className: string, properties?: object, attributes?: object, tags?: string[],
 *   source?: string, sourcePath?: string, children: object[] }} the root InstanceNode
 * @throws {ProjectBuildError} on a missing or malformed project, a missing `$path`, or a file the
 *   emulator cannot represent; the message names the file and the instance
 */
export function buildTree(projectFilePath) {
	let projectPath = path.resolve(projectFilePath);
	const stats = fs.statSync(projectPath, { throwIfNoEntry: false });
	if (stats?.isDirectory()) projectPath = path.join(projectPath, "default.project.json");
	if (!fs.existsSync(projectPath)) {
		throw new ProjectBuildError(`Project file not found: ${projectPath}`, { file: projectFilePath });
	}
	const fileName = path.basename(projectPath);
	if (!fileName.endsWith(".project.json")) {
		throw new ProjectBuildError(`Expected a *.project.json file, got "${fileName}".`, { file: projectFilePath });
	}
	// An unnamed project is named after its file (snapshotProject uses the folder for default.project.json).
	const fallbackName = fileName.slice(0, -".project.json".length);
	const context = createContext(path.dirname(projectPath));
	return toInstanceNode(snapshotProject(context, projectPath, fallbackName, undefined, undefined));
}
