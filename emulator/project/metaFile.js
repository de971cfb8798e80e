/**
 * Rojo meta files: `<name>.meta.json` beside a script/text/JSON file, `init.meta.json` inside a
 * directory. They add `properties` and `attributes`; only a directory's meta file may set
 * `className`, and only while the directory would otherwise be a Folder (Rojo's rule).
 * `ignoreUnknownInstances` only matters to live sync, so it is read and ignored.
 */
import fs from "node:fs";
import path from "node:path";
import { ProjectBuildError } from "./ProjectBuildError.js";
import { isJsonObject, readJsonFile } from "./jsonFile.js";
import { applyAttributes, applyProperties } from "./propertyValues.js";

function readMeta(metaPath, context) {
	if (!fs.existsSync(metaPath)) return undefined;
	const meta = readJsonFile(metaPath, "a Rojo meta file", context.display);
	if (!isJsonObject(meta)) {
		throw new ProjectBuildError("A .meta.json file must contain a JSON object.", {
			file: context.display(metaPath),
		});
	}
	return meta;
}

function applyMeta(instance, meta, metaPath, context, instancePath) {
	const where = { file: context.display(metaPath), instancePath };
	applyProperties(instance, meta.properties, where);
	if (meta.attributes !== undefined) applyAttributes(instance, meta.attributes, where);
}

/**
 * Applies `<name>.meta.json` from the folder of `filePath`, if it exists.
 * @param {object} instance the instance built from filePath
 * @param {string} filePath absolute path of the script/text/JSON file
 * @param {string} name instance name (file name without its Rojo suffix)
 * @param {string} instancePath dotted path of the instance, for error messages
 */
export function applyAdjacentMeta(instance, filePath, name, context, instancePath) {
	const metaPath = path.join(path.dirname(filePath), `${name}.meta.json`);
	const meta = readMeta(metaPath, context);
	if (meta !== undefined) applyMeta(instance, meta, metaPath, context, instancePath);
}

/**
 * Applies `init.meta.json` from `dirPath`, if it exists, to the instance the directory became.
 * @param {object} instance a Folder, or the script an init file made of the directory
 * @param {string} dirPath absolute directory path
 * @param {string} instancePath dotted path of the instance, for error messages
 */
export function applyDirectoryMeta(instance, dirPath, context, instancePath) {
	const metaPath = path.join(dirPath, "init.meta.json");
	const meta = readMeta(metaPath, context);
	if (meta === undefined) return;
	if (meta.className !== undefined) {
		if (typeof meta.className !== "string" || meta.className === "") {
			throw new ProjectBuildError(
				`className must be a non-empty string, got ${JSON.stringify(meta.className)}.`,
				{
					file: context.display(metaPath),
					instancePath,
				},
			);
		}
		if (instance.className !== "Folder") {
			throw new ProjectBuildError(
				"className in init.meta.json can only be specified if the affected directory would turn into a Folder " +
					`instance; this directory is a ${instance.className} because of its init script.`,
				{ file: context.display(metaPath), instancePath },
			);
		}
		instance.className = meta.className;
	}
	applyMeta(instance, meta, metaPath, context, instancePath);
}
