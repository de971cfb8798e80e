/** Shared helpers for the project-builder tests: fixture paths and instance lookups. */
import assert from "node:assert/strict";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildTree, ProjectBuildError } from "../../project/buildTree.js";

const here = path.dirname(fileURLToPath(import.meta.url));

/** Absolute path inside emulator/test/fixtures/rojo. */
export function fixture(...parts) {
	return path.join(here, "..", "fixtures", "rojo", ...parts);
}

/** Builds `fixtures/rojo/<folder>/<projectFile>`. */
export function build(folder, projectFile = "default.project.json") {
	return buildTree(fixture(folder, projectFile));
}

/**
 * The child reached by a dotted path of names (or an array of names, for names holding dots);
 * fails the test, listing the names present, if absent.
 */
export function find(node, dottedPath) {
	let current = node;
	for (const name of Array.isArray(dottedPath) ? dottedPath : dottedPath.split(".")) {
		const next = current.children.find((child) => child.name === name);
		assert.ok(
			next,
			`no child "${name}" under "${current.name}" (has: ${current.children.map((c) => c.name).join(", ")})`,
		);
		current = next;
	}
	return current;
}

/** Names of a node's children, in output order. */
export function childNames(node) {
	return node.children.map((child) => child.name);
}

/**
 * Asserts that building throws a ProjectBuildError whose message contains every given fragment.
 * @returns {ProjectBuildError} the error, for further checks
 */
export function buildError(folder, projectFile, ...fragments) {
	let caught;
	try {
		build(folder, projectFile);
	} catch (error) {
		caught = error;
	}
	assert.ok(caught instanceof ProjectBuildError, `expected a ProjectBuildError, got ${caught}`);
	for (const fragment of fragments) {
		assert.ok(caught.message.includes(fragment), `message lacks ${JSON.stringify(fragment)}:\n${caught.message}`);
	}
	return caught;
}
