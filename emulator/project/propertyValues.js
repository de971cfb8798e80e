/**
 * Turns Rojo property and attribute values into the plain values an InstanceNode carries.
 *
 * Rojo resolves "implicit" values (`"Value": "Hi"`) against the class reflection database and
 * accepts "explicit" ones (`"Value": { "String": "Hi" }`). The emulator has no reflection database
 * and no Vector3/Color3 types, so it keeps what it can represent faithfully — strings, numbers,
 * booleans, `Tags` and `Attributes` — and refuses the rest loudly instead of dropping it.
 */
import { ProjectBuildError } from "./ProjectBuildError.js";

/** Explicit Rojo value types whose payload is already a plain string/number/boolean. */
const SIMPLE_EXPLICIT_TYPES = new Set([
	"String",
	"Bool",
	"Float32",
	"Float64",
	"Int32",
	"Int64",
	"Content",
	"ContentId",
	"BrickColor",
	"Enum",
	"BinaryString",
]);

const SCRIPT_CLASSES = new Set(["Script", "LocalScript", "ModuleScript"]);

function isPlainObject(value) {
	return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isSimple(value) {
	return (
		typeof value === "string" || typeof value === "boolean" || (typeof value === "number" && !Number.isNaN(value))
	);
}

/** Returns the plain value, or undefined when the emulator cannot represent it. */
function resolveSimple(value) {
	if (isSimple(value)) return value;
	if (isPlainObject(value)) {
		const keys = Object.keys(value);
		if (keys.length === 1 && SIMPLE_EXPLICIT_TYPES.has(keys[0]) && isSimple(value[keys[0]])) return value[keys[0]];
	}
	return undefined;
}

function describe(value) {
	const text = JSON.stringify(value);
	return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function unrepresentable(what, value, where) {
	return new ProjectBuildError(
		`${what} has a value the emulator cannot represent: ${describe(value)}. ` +
			"The emulator keeps strings, numbers and booleans (implicit, or explicit such as " +
			'{"String": "x"}, {"Bool": true}, {"Float64": 1}), plus Tags (a list of strings) and Attributes.',
		where,
	);
}

/**
 * Applies a Rojo `attributes` map (or the value of an `Attributes` property) to an instance.
 * @param {object} instance instance under construction
 * @param {unknown} attributes
 * @param {{ file?: string, instancePath?: string }} where for error messages
 */
export function applyAttributes(instance, attributes, where) {
	if (attributes === undefined) return;
	if (!isPlainObject(attributes)) {
		throw new ProjectBuildError(
			`attributes must be an object of name → value, got ${describe(attributes)}.`,
			where,
		);
	}
	// Rojo stores attributes as one `Attributes` property, so a later source replaces the whole set.
	const next = {};
	for (const [name, raw] of Object.entries(attributes)) {
		const value = resolveSimple(raw);
		if (value === undefined) throw unrepresentable(`Attribute "${name}"`, raw, where);
		next[name] = value;
	}
	instance.attributes = next;
}

function resolveTags(raw) {
	const list = isPlainObject(raw) && Object.keys(raw).length === 1 && "Tags" in raw ? raw.Tags : raw;
	if (Array.isArray(list) && list.every((tag) => typeof tag === "string")) return [...list];
	return undefined;
}

/**
 * Applies a Rojo `properties` map to an instance. `Tags` and `Attributes` go to their own fields,
 * `Source` of a script class becomes its source, `Name`/`Parent` are ignored as Rojo does.
 * @param {object} instance instance under construction
 * @param {unknown} properties
 * @param {{ file?: string, instancePath?: string }} where for error messages
 */
export function applyProperties(instance, properties, where) {
	if (properties === undefined) return;
	if (!isPlainObject(properties)) {
		throw new ProjectBuildError(
			`properties must be an object of name → value, got ${describe(properties)}.`,
			where,
		);
	}
	for (const [key, raw] of Object.entries(properties)) {
		// Rojo refuses to set these from a project or meta file (it logs a warning and moves on).
		if (key === "Name" || key === "Parent") continue;
		if (key === "Tags") {
			const tags = resolveTags(raw);
			if (tags === undefined) throw unrepresentable('Property "Tags"', raw, where);
			instance.tags = tags;
			continue;
		}
		if (key === "Attributes") {
			const explicit = isPlainObject(raw) && Object.keys(raw).length === 1 && isPlainObject(raw.Attributes);
			applyAttributes(instance, explicit ? raw.Attributes : raw, where);
			continue;
		}
		const value = resolveSimple(raw);
		if (value === undefined) throw unrepresentable(`Property "${key}"`, raw, where);
		if (key === "Source" && SCRIPT_CLASSES.has(instance.className) && typeof value === "string") {
			instance.source = value;
			continue;
		}
		instance.properties[key] = value;
	}
}
