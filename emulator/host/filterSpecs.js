// Keeps only the spec ModuleScripts whose source path contains one of the filters (all when none).
// Returns a filtered copy of the tree and how many spec files are left.
const isSpec = (node) => node.className === "ModuleScript" && node.name.endsWith(".spec");

export function filterSpecs(tree, filters) {
	return keepSpecs(tree, (path) => filters.length === 0 || filters.some((filter) => path.includes(filter)));
}

function keepSpecs(tree, keep) {
	let kept = 0;
	const visit = (node) => {
		if (isSpec(node)) {
			if (!keep(node.sourcePath ?? node.name)) return null;
			kept += 1;
		}
		return { ...node, children: (node.children ?? []).map(visit).filter(Boolean) };
	};
	return { tree: visit(tree), kept };
}

/** The spec area a spec file belongs to: its first folder under test/ ("" for files right in test/). */
export function specArea(path) {
	const match = /(?:^|\/)test\/([^/]+)\//.exec(path);
	return match ? match[1] : "";
}

/**
 * Splits a (filtered) tree into one tree per spec area, each holding every non-spec node and only that
 * area's specs, in area order. `npm test` runs each in a VM of its own: luau-web's heap is fixed at
 * ~16 MiB and keeps every compiled chunk, so one VM for all specs outgrew it.
 * @example specGroups(tree) // [{ area: "emulator", tree, kept: 23 }, { area: "execution", ... }]
 */
export function specGroups(tree) {
	const areas = new Set();
	keepSpecs(tree, (path) => {
		areas.add(specArea(path));
		return true;
	});
	return [...areas].sort().map((area) => ({ area, ...keepSpecs(tree, (path) => specArea(path) === area) }));
}
