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

/** The spec area a spec file belongs to: its folder under test/ ("emulator/universe"; "" right in test/). */
export function specArea(path) {
	const match = /(?:^|\/)test\/(.+)\/[^/]+$/.exec(path);
	return match ? match[1] : "";
}

// At most this many spec files share one VM: the emulator's own specs (stores, bursts of thousands of
// requests) peaked near luau-web's 16 MiB with 19 files in one VM.
export const SPECS_PER_VM = 8;

/**
 * Splits a (filtered) tree into groups of at most SPECS_PER_VM spec files of one area (folder), each
 * group a tree holding every non-spec node and only its specs, in area order. `npm test` runs each
 * group in a VM of its own: luau-web's heap is fixed at ~16 MiB and keeps every compiled chunk, so one
 * VM for all specs outgrew it.
 * @example specGroups(tree) // [{ area: "emulator", part: "1/3", tree, kept: 8 }, ...]
 */
export function specGroups(tree) {
	const byArea = new Map();
	keepSpecs(tree, (path) => {
		const area = specArea(path);
		if (!byArea.has(area)) byArea.set(area, []);
		byArea.get(area).push(path);
		return true;
	});
	const groups = [];
	for (const area of [...byArea.keys()].sort()) {
		const paths = byArea.get(area);
		const parts = Math.ceil(paths.length / SPECS_PER_VM);
		for (let part = 0; part < parts; part++) {
			const mine = new Set(paths.slice(part * SPECS_PER_VM, (part + 1) * SPECS_PER_VM));
			const label = parts > 1 ? `${part + 1}/${parts}` : "";
			groups.push({ area, part: label, ...keepSpecs(tree, (path) => mine.has(path)) });
		}
	}
	return groups;
}
