/**
 * Renders decoded JSON as a Luau chunk `return <table literal>`, the way Rojo turns `*.json` files
 * into ModuleScripts. Object keys are always written as `["key"] =` (any string is a valid key that
 * way) and sorted, as Rojo's serde_json map is, so the output is byte-identical for the same input.
 */

/** Escapes a JS string into a double-quoted Luau string literal (UTF-8 passes through). */
export function luauString(text) {
	let out = '"';
	for (const char of text) {
		const code = char.codePointAt(0);
		if (char === '"') out += '\\"';
		else if (char === "\\") out += "\\\\";
		else if (char === "\n") out += "\\n";
		else if (char === "\r") out += "\\r";
		else if (char === "\t") out += "\\t";
		// Three digits, so a following digit cannot extend the escape.
		else if (code < 0x20 || code === 0x7f) out += `\\${String(code).padStart(3, "0")}`;
		// A lone surrogate (possible from a JSON "\ud800" escape) has no UTF-8 form; Luau's \u{} writes its bytes.
		else if (code >= 0xd800 && code <= 0xdfff) out += `\\u{${code.toString(16).toUpperCase()}}`;
		else out += char;
	}
	return `${out}"`;
}

function luauNumber(value) {
	if (value === Infinity) return "math.huge";
	if (value === -Infinity) return "-math.huge";
	if (Object.is(value, -0)) return "-0";
	// String() gives the shortest round-tripping form (`1e+21`, `0.1`), which Luau parses exactly.
	return String(value);
}

function compareKeys(a, b) {
	return a < b ? -1 : a > b ? 1 : 0;
}

function render(value, indent) {
	if (value === null) return "nil";
	if (typeof value === "boolean") return value ? "true" : "false";
	if (typeof value === "number") return luauNumber(value);
	if (typeof value === "string") return luauString(value);
	const inner = `${indent}\t`;
	if (Array.isArray(value)) {
		if (value.length === 0) return "{}";
		return `{\n${value.map((item) => `${inner}${render(item, inner)},\n`).join("")}${indent}}`;
	}
	const keys = Object.keys(value).sort(compareKeys);
	if (keys.length === 0) return "{}";
	return `{\n${keys.map((key) => `${inner}[${luauString(key)}] = ${render(value[key], inner)},\n`).join("")}${indent}}`;
}

/**
 * @param {unknown} value the result of JSON.parse
 * @returns {string} Luau source of a module returning that value
 */
export function jsonToLuau(value) {
	return `return ${render(value, "")}\n`;
}
