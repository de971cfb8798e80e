import { shorten } from "../arguments/describeValue";
import { GuardError } from "../errors/GuardError";

/** The part of a registered service that ordering needs. */
export interface DependencyNode {
	readonly dependencies: ReadonlyArray<string>;
}

/**
 * Orders services so that each comes after everything it depends on (a depth-first topological
 * sort). Ties keep registration order, so the same registrations always boot the same way.
 *
 * @throws `InvalidState` naming the whole cycle (`dependency cycle: A → B → C → A`) or the unknown
 *   dependency. It throws before anything runs, so the registry can still take the missing service.
 *
 * @example
 * ```ts
 * dependencyOrder("Boot", ["B", "A"], new Map([["A", { dependencies: [] }], ["B", { dependencies: ["A"] }]]));
 * // ["A", "B"]
 * ```
 */
export function dependencyOrder(
	registryName: string,
	registrationOrder: ReadonlyArray<string>,
	nodes: ReadonlyMap<string, DependencyNode>,
): string[] {
	const order: string[] = [];
	const done = new Set<string>();
	// The current depth-first path: when a name on it is reached again, the path from there is the cycle.
	const path: string[] = [];
	const onPath = new Set<string>();

	const visit = (name: string) => {
		if (done.has(name)) return;
		if (onPath.has(name)) {
			const cycle: string[] = [];
			let inCycle = false;
			for (const step of path) {
				if (step === name) inCycle = true;
				if (inCycle) cycle.push(step);
			}
			cycle.push(name);
			throw new GuardError(
				"InvalidState",
				`${registryName}: dependency cycle: ${cycle.map(shorten).join(" → ")}; no service can initialise first. ` +
					"Remove one of these dependsOn links where the services are registered; nothing has run yet",
				{ cycle },
			);
		}
		const node = nodes.get(name)!;
		path.push(name);
		onPath.add(name);
		for (const dependency of node.dependencies) {
			if (!nodes.has(dependency)) {
				throw new GuardError(
					"InvalidState",
					`${registryName}: "${shorten(name)}" depends on "${shorten(dependency)}", which is not registered; ` +
						`register it and call InitAll again, or remove it from the dependsOn of "${shorten(name)}"; nothing has run yet`,
					{ key: shorten(name), dependency: shorten(dependency) },
				);
			}
			visit(dependency);
		}
		path.pop();
		onPath.delete(name);
		done.add(name);
		order.push(name);
	};

	for (const name of registrationOrder) visit(name);
	return order;
}
