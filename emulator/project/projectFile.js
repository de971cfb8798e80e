/**
 * Rojo project files (`*.project.json`): the `tree` of `$className`/`$path`/`$properties`/
 * `$attributes` nodes, `globIgnorePaths`, `emitLegacyScripts`, and nested projects (a `$path` to
 * another project file, or to a directory holding `default.project.json`), whose relative paths
 * resolve against their own folder.
 */
import fs from "node:fs";
import path from "node:path";
import { ProjectBuildError } from "./ProjectBuildError.js";
import { globToRegExp } from "./globPattern.js";
import { newInstance } from "./instance.js";
import { isJsonObject, readJsonFile } from "./jsonFile.js";
import { applyAttributes, applyProperties } from "./propertyValues.js";
import { inferClassName } from "./services.js";
import { snapshotPath } from "./snapshotPath.js";

/** `$` keys Rojo 7.4 knows; `$ignoreUnknownInstances` and `$id` only matter to live sync. */
const NODE_KEYS = new Set(["$className", "$path", "$properties", "$attributes", "$ignoreUnknownInstances", "$id"]);

/** Top-level keys Rojo 7.4 accepts; the serve/place keys do not affect the tree. */
const PROJECT_KEYS = new Set([
	"name",
	"tree",
	"globIgnorePaths",
	"emitLegacyScripts",
	"syncRules",
	"servePort",
	"serveAddress",
	"servePlaceIds",
	"placeId",
	"gameId",
	"$schema",
]);

function loadProject(context, projectPath) {
	const file = context.display(projectPath);
	const project = readJsonFile(projectPath, "a Rojo project", context.display);
	if (!isJsonObject(project)) throw new ProjectBuildError("A project file must contain a JSON object.", { file });
	for (const key of Object.keys(project)) {
		if (!PROJECT_KEYS.has(key)) {
			throw new ProjectBuildError(`Unknown field "${key}" in the project file (Rojo rejects unknown fields).`, {
				file,
			});
		}
	}
	if (!isJsonObject(project.tree)) {
		throw new ProjectBuildError('A project file needs a "tree" object (the root instance).', { file });
	}
	if (project.name !== undefined && (typeof project.name !== "string" || project.name === "")) {
		throw new ProjectBuildError(`"name" must be a non-empty string, got ${JSON.stringify(project.name)}.`, {
			file,
		});
	}
	const globs = project.globIgnorePaths ?? [];
	if (!Array.isArray(globs) || !globs.every((glob) => typeof glob === "string")) {
		throw new ProjectBuildError(`"globIgnorePaths" must be a list of glob strings, got ${JSON.stringify(globs)}.`, {
			file,
		});
	}
	if (project.emitLegacyScripts !== undefined && typeof project.emitLegacyScripts !== "boolean") {
		throw new ProjectBuildError(
			`"emitLegacyScripts" must be true or false, got ${JSON.stringify(project.emitLegacyScripts)}.`,
			{ file },
		);
	}
	if (Array.isArray(project.syncRules) && project.syncRules.length > 0) {
		throw new ProjectBuildError(
			'"syncRules" (user-defined sync rules) are not supported by the emulator; remove them or use Rojo\'s defaults.',
			{ file },
		);
	}
	return project;
}

function compileIgnoreRules(project, projectPath, context) {
	const base = path.dirname(projectPath);
	return project.globIgnorePaths === undefined
		? []
		: project.globIgnorePaths.map((glob) => {
				try {
					return { base, regex: globToRegExp(glob) };
				} catch (error) {
					throw new ProjectBuildError(`Invalid glob in globIgnorePaths: ${error.message}`, {
						file: context.display(projectPath),
						cause: error,
					});
				}
			});
}

/**
 * Builds the root instance of a project file.
 * @param {object} context builder context of the including project (or the top-level context)
 * @param {string} projectPath absolute path of the `.project.json` file
 * @param {string} fallbackName name to use when the project has no `name`
 * @param {string | undefined} parentPath dotted instance path of the parent, for error messages
 * @param {string} [nameOverride] the name the including node gives this instance
 */
export function snapshotProject(context, projectPath, fallbackName, parentPath, nameOverride) {
	const realPath = fs.realpathSync(projectPath);
	if (context.projectStack.includes(realPath)) {
		const cycle = [...context.projectStack.slice(context.projectStack.indexOf(realPath)), realPath];
		throw new ProjectBuildError(
			`Project files include each other in a cycle: ${cycle.map((p) => context.display(p)).join(" -> ")}`,
			{ file: context.display(projectPath) },
		);
	}
	const project = loadProject(context, projectPath);
	// Rojo names an unnamed default.project.json after its folder, any other after the including name.
	const name =
		project.name ??
		(path.basename(projectPath) === "default.project.json"
			? path.basename(path.dirname(projectPath))
			: fallbackName);
	const projectContext = {
		...context,
		// Ignore rules accumulate down nested projects; each glob stays relative to its own project folder.
		ignoreRules: [...context.ignoreRules, ...compileIgnoreRules(project, projectPath, context)],
		// Rojo resets this per project file rather than inheriting it.
		emitLegacyScripts: project.emitLegacyScripts ?? true,
		projectStack: [...context.projectStack, realPath],
	};
	// The including node renames the root anyway, so build it under that name (clearer error paths).
	return snapshotProjectNode(projectContext, projectPath, nameOverride ?? name, project.tree, undefined, parentPath);
}

function readPathNode(value, where) {
	if (typeof value === "string") return { relativePath: value, optional: false };
	if (isJsonObject(value) && typeof value.optional === "string")
		return { relativePath: value.optional, optional: true };
	throw new ProjectBuildError(
		`$path must be a path string or { "optional": "path" }, got ${JSON.stringify(value)}.`,
		where,
	);
}

function missingPathError(context, projectPath, pathNode, fullPath, instancePath) {
	const exists = fs.existsSync(fullPath);
	const reason = exists
		? "The file exists but is not a file type Rojo turns into an instance."
		: `Nothing exists at ${fullPath}. Check the path; if it is compiler output, build first (npx rbxtsc).`;
	return new ProjectBuildError(
		"Rojo project referred to a file using $path that could not be turned into a Roblox Instance by Rojo.\n" +
			`${reason}\nProject path: ${context.display(projectPath)}\nFile $path: ${pathNode.relativePath}`,
		{ instancePath },
	);
}

function resolveClassName(context, projectPath, node, fromPath, instanceName, parentClass, instancePath) {
	const explicit = node.$className;
	const inferred = inferClassName(instanceName, parentClass);
	if (explicit !== undefined && fromPath !== undefined && fromPath !== "Folder") {
		throw new ProjectBuildError(
			`ClassName for Instance "${instanceName}" was specified in both the project file (as "${explicit}") and ` +
				`from the filesystem (as "${fromPath}").\nIf $className and $path are both set, $path must refer to a Folder.` +
				`\nProject path: ${context.display(projectPath)}\nFilesystem path: ${node.$path}`,
			{ instancePath },
		);
	}
	if (explicit !== undefined) return explicit;
	// A folder under DataModel named like a service becomes that service.
	if (fromPath !== undefined) return fromPath === "Folder" && inferred !== undefined ? inferred : fromPath;
	if (inferred !== undefined) return inferred;
	throw new ProjectBuildError(
		`Instance "${instanceName}" is missing some required information.\nOne of the following must be true:\n` +
			"- $className must be set to the name of a Roblox class\n- $path must be set to a path of an instance\n" +
			`- The instance must be a known service, like ReplicatedStorage\nProject path: ${context.display(projectPath)}`,
		{ instancePath },
	);
}

/**
 * Builds one project node and its children.
 * @returns {object | undefined} undefined only for an optional `$path` that does not exist
 */
function snapshotProjectNode(context, projectPath, instanceName, node, parentClass, parentPath) {
	const instancePath = parentPath === undefined ? instanceName : `${parentPath}.${instanceName}`;
	const where = { file: context.display(projectPath), instancePath };
	if (!isJsonObject(node)) {
		throw new ProjectBuildError(`A project node must be an object, got ${JSON.stringify(node)}.`, where);
	}
	for (const key of Object.keys(node)) {
		if (key.startsWith("$") && !NODE_KEYS.has(key)) {
			throw new ProjectBuildError(`Unknown project key "${key}" (known: ${[...NODE_KEYS].join(", ")}).`, where);
		}
	}
	if (node.$className !== undefined && (typeof node.$className !== "string" || node.$className === "")) {
		throw new ProjectBuildError(`$className must be a class name, got ${JSON.stringify(node.$className)}.`, where);
	}
	let fromPath;
	if (node.$path !== undefined) {
		const pathNode = readPathNode(node.$path, where);
		const fullPath = path.resolve(path.dirname(projectPath), pathNode.relativePath);
		fromPath = snapshotPath(context, fullPath, parentPath, instanceName);
		// Stricter than Rojo 7.4, which lets "$className" paper over a missing required $path.
		if (fromPath === undefined && !pathNode.optional) {
			throw missingPathError(context, projectPath, pathNode, fullPath, instancePath);
		}
		// A missing optional path drops the node unless something else gives it a class.
		const hasClass = node.$className !== undefined || inferClassName(instanceName, parentClass) !== undefined;
		if (fromPath === undefined && !hasClass) return undefined;
	}
	const className = resolveClassName(
		context,
		projectPath,
		node,
		fromPath?.className,
		instanceName,
		parentClass,
		instancePath,
	);
	const instance = newInstance(instanceName, className);
	if (fromPath !== undefined) {
		// Properties, source and children come from the file system; the project node adds to them.
		Object.assign(instance.properties, fromPath.properties);
		Object.assign(instance.attributes, fromPath.attributes);
		instance.tags = fromPath.tags;
		instance.source = fromPath.source;
		instance.sourcePath = fromPath.sourcePath;
		instance.children.push(...fromPath.children);
	}
	for (const [childName, childNode] of Object.entries(node)) {
		if (childName.startsWith("$")) continue;
		const child = snapshotProjectNode(context, projectPath, childName, childNode, className, instancePath);
		if (child !== undefined) instance.children.push(child);
	}
	applyProperties(instance, node.$properties, where);
	if (node.$attributes !== undefined) applyAttributes(instance, node.$attributes, where);
	return instance;
}
