import fs from "node:fs";
import { ProjectBuildError } from "./ProjectBuildError.js";

/**
 * Reads and decodes a JSON file, turning a syntax error into a message that names the file
 * (JSON.parse alone would say only "Unexpected token").
 * @param {string} absolutePath
 * @param {string} what what the file is meant to be, e.g. "a Rojo project"
 * @param {(absolutePath: string) => string} display how to name the file in the message
 */
export function readJsonFile(absolutePath, what, display) {
	const text = fs.readFileSync(absolutePath, "utf8");
	try {
		return JSON.parse(text);
	} catch (error) {
		throw new ProjectBuildError(`File is not valid JSON (${what}): ${error.message}`, {
			file: display(absolutePath),
			cause: error,
		});
	}
}

/** True when the value is a JSON object (not an array, not null). */
export function isJsonObject(value) {
	return typeof value === "object" && value !== null && !Array.isArray(value);
}
