/**
 * Copies every member `classTable` inherits (through roblox-ts's `__index` chain of base classes) onto
 * `classTable` itself, unless it has its own. A method call on an instance then finds its function
 * one metatable step away instead of one step per base class; in the bench VM each extra `__index`
 * hop costs about as much as a call. Behaviour is unchanged: the same functions, found sooner. Call it
 * once, right after the class is declared (members added to a base class later are not copied).
 *
 * @example
 * ```ts
 * export class KeyedLock extends KeyedPermits { ... }
 * flattenInheritedMethods(KeyedLock); // lock.TryAcquire(...) now skips KeyedPermits' table
 * ```
 */
export function flattenInheritedMethods(classTable: object) {
	let ancestor = baseOf(classTable);
	while (ancestor !== undefined) {
		for (const [name, value] of pairs(ancestor as unknown as Map<string, unknown>)) {
			if (rawget(classTable, name) === undefined) rawset(classTable, name, value);
		}
		ancestor = baseOf(ancestor);
	}
}

/** The base class of a roblox-ts class table: its metatable's `__index`. */
function baseOf(classTable: object): object | undefined {
	const metatable = getmetatable(classTable) as { __index?: unknown } | undefined;
	const base = metatable?.__index;
	return typeIs(base, "table") ? base : undefined;
}
