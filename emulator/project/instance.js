/**
 * The builder's working form of an instance and its conversion to the InstanceNode JSON shape the
 * Luau engine reads. Working instances are mutable; `toInstanceNode` fixes key order and sorts
 * children by name so the same files always give byte-identical JSON.
 */

/**
 * @param {string} name
 * @param {string} className
 * @returns {{ name: string, className: string, properties: Record<string, string|number|boolean>,
 *   attributes: Record<string, string|number|boolean>, tags: string[] | undefined,
 *   source: string | undefined, sourcePath: string | undefined, children: object[] }}
 */
export function newInstance(name, className) {
	return {
		name,
		className,
		properties: {},
		attributes: {},
		tags: undefined,
		source: undefined,
		sourcePath: undefined,
		children: [],
	};
}

/** Code-unit order, not locale order: the same on every machine. */
export function compareNames(a, b) {
	return a < b ? -1 : a > b ? 1 : 0;
}

function sortedRecord(record) {
	const keys = Object.keys(record);
	if (keys.length === 0) return undefined;
	const out = {};
	for (const key of keys.sort(compareNames)) out[key] = record[key];
	return out;
}

/**
 * Converts a working instance (recursively) into an InstanceNode: fields in a fixed order, empty
 * optional fields left out, children stably sorted by name (duplicates keep their build order).
 * @returns {object} InstanceNode
 */
export function toInstanceNode(instance) {
	const node = { name: instance.name, className: instance.className };
	const properties = sortedRecord(instance.properties);
	if (properties !== undefined) node.properties = properties;
	const attributes = sortedRecord(instance.attributes);
	if (attributes !== undefined) node.attributes = attributes;
	if (instance.tags !== undefined && instance.tags.length > 0) node.tags = [...instance.tags];
	if (instance.source !== undefined) node.source = instance.source;
	if (instance.sourcePath !== undefined) node.sourcePath = instance.sourcePath;
	// Array.prototype.sort is stable, so same-named siblings stay in build order.
	const children = [...instance.children].sort((a, b) => compareNames(a.name, b.name));
	node.children = children.map(toInstanceNode);
	return node;
}
