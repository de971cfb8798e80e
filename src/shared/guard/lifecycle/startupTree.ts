import { formatTable } from "../summary/formatTable";
import { LifecycleState } from "./IdempotentGuard";

/** One service's line in the startup tree, as returned by `ServiceRegistry.GetReport()`. */
export interface ServiceReport {
	readonly name: string;
	readonly state: LifecycleState;
	/** 0 for a service with no dependencies, else 1 + the deepest dependency's depth. */
	readonly depth: number;
	readonly dependencies: ReadonlyArray<string>;
	/** Init duration in milliseconds, if Init ran to an end. */
	readonly initMs?: number;
	/** Start duration in milliseconds, if Start ran to an end. */
	readonly startMs?: number;
	/** The failure message, if the service failed. */
	readonly error?: string;
}

function ms(value: number | undefined) {
	return value === undefined ? "-" : string.format("%.1f", value);
}

/**
 * Renders the startup tree with the toolkit's {@link formatTable}: one line per service in boot
 * order, indented under its dependencies, with Init/Start milliseconds, what it needs and, for a
 * failed service, its error. A service still `Created` after a boot is shown as "not reached".
 * The indent is ASCII (`` `- ``) so the columns stay aligned in any console font.
 *
 * @example
 * ```ts
 * print(formatStartupTree("Boot", registry.GetReport()));
 * // [Boot] startup tree: 2 services, Init 1000.0 ms, Start 0.0 ms
 * // service             state    init ms  start ms  needs
 * // ------------------  -------  -------  --------  -----------------
 * // PlayerDataService   Started   1000.0       0.0
 * // `- RewardService    Started      0.0       0.0  PlayerDataService
 * ```
 */
export function formatStartupTree(registryName: string, rows: ReadonlyArray<ServiceReport>): string {
	let totalInit = 0;
	let totalStart = 0;
	const cells = rows.map((row) => {
		totalInit += row.initMs ?? 0;
		totalStart += row.startMs ?? 0;
		const name = row.depth === 0 ? row.name : string.rep("   ", row.depth - 1) + "`- " + row.name;
		return [
			name,
			row.state === "Created" ? "not reached" : row.state,
			ms(row.initMs),
			ms(row.startMs),
			row.dependencies.join(", "),
			row.error ?? "",
		];
	});
	return formatTable(["service", "state", "init ms", "start ms", "needs", "error"], cells, {
		title: `[${registryName}] startup tree: ${rows.size()} services, Init ${ms(totalInit)} ms, Start ${ms(totalStart)} ms`,
		align: ["left", "left", "right", "right", "left", "left"],
		empty: "(no services registered)",
	});
}
