// Keeps only the spec ModuleScripts whose source path contains one of the filters (all when none).
// Returns a filtered copy of the tree and how many spec files are left.
const isSpec = (node) => node.className === "ModuleScript" && node.name.endsWith(".spec");

export function filterSpecs(tree, filters) {
	let kept = 0;
	const visit = (node) => {
		if (isSpec(node)) {
			const path = node.sourcePath ?? node.name;
			if (filters.length > 0 && !filters.some((filter) => path.includes(filter))) return null;
			kept += 1;
		}
		return { ...node, children: (node.children ?? []).map(visit).filter(Boolean) };
	};
	return { tree: visit(tree), kept };
}
