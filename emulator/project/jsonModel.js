/**
 * `*.model.json`: one instance tree written as JSON. Keys may be camelCase or PascalCase
 * (`className`/`ClassName`, `properties`/`Properties`, `children`/`Children`, `name`/`Name`);
 * `attributes` is camelCase only, as in Rojo 7.4. The root is named by the file (Rojo ignores a
 * top-level `Name`), a child without a name is named after its class, and an empty file makes no
 * instance at all.
 */
import fs from "node:fs";
import { ProjectBuildError } from "./ProjectBuildError.js";
import { isJsonObject } from "./jsonFile.js";
import { newInstance } from "./instance.js";
import { applyAttributes, applyProperties } from "./propertyValues.js";

function pick(model, camel, pascal) {
	return model[camel] !== undefined ? model[camel] : model[pascal];
}

function modelToInstance(model, name, where, sourcePath) {
	if (!isJsonObject(model)) {
		throw new ProjectBuildError(`A JSON model entry must be an object, got ${JSON.stringify(model)}.`, where);
	}
	const className = pick(model, "className", "ClassName");
	if (typeof className !== "string" || className === "") {
		throw new ProjectBuildError(
			`A JSON model entry needs "className" (the Roblox class), got ${JSON.stringify(className)}.`,
			where,
		);
	}
	const childName = name ?? pick(model, "name", "Name") ?? className;
	if (typeof childName !== "string") {
		throw new ProjectBuildError(`"name" must be a string, got ${JSON.stringify(childName)}.`, where);
	}
	const instancePath = where.instancePath === undefined ? childName : `${where.instancePath}.${childName}`;
	const here = { file: where.file, instancePath };
	const instance = newInstance(childName, className);
	instance.sourcePath = sourcePath;
	applyProperties(instance, pick(model, "properties", "Properties"), here);
	if (model.attributes !== undefined) applyAttributes(instance, model.attributes, here);
	const children = pick(model, "children", "Children") ?? [];
	if (!Array.isArray(children)) {
		throw new ProjectBuildError(`"children" must be a list of models, got ${JSON.stringify(children)}.`, here);
	}
	for (const child of children) instance.children.push(modelToInstance(child, undefined, here, sourcePath));
	return instance;
}

/**
 * @param {object} context builder context (display, relative)
 * @param {string} filePath absolute path of the `.model.json` file
 * @param {string} name instance name (file name without `.model.json`)
 * @param {string | undefined} parentPath dotted path of the parent, for error messages
 * @returns {object | undefined} the instance, or undefined for an empty file
 */
export function snapshotJsonModel(context, filePath, name, parentPath) {
	const text = fs.readFileSync(filePath, "utf8");
	if (text.trim() === "") return undefined;
	let model;
	try {
		model = JSON.parse(text);
	} catch (error) {
		throw new ProjectBuildError(`File is not a valid JSON model: ${error.message}`, {
			file: context.display(filePath),
			cause: error,
		});
	}
	return modelToInstance(
		model,
		name,
		{ file: context.display(filePath), instancePath: parentPath },
		context.relative(filePath),
	);
}
