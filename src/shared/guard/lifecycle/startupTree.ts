import { formatTable } from "../summary/formatTable";
import { formatMillisecondFigure, toMilliseconds } from "../summary/milliseconds";
import type { ServiceEntry } from "./ServiceEntry";
import type { ServiceReport } from "./types";

/**
 * One {@link ServiceReport} row per service in `order`: its state, depth in the dependency tree (a
 * service sits one level below its deepest dependency), Init/Start milliseconds and error.
 *
 * @example
 * ```ts
 * const rows = buildStartupReport(["Data", "Reward"], entries); // rows[1].depth === 1
 * ```
 */
export function buildStartupReport(
	order: ReadonlyArray<string>,
	entries: ReadonlyMap<string, ServiceEntry>,
): ServiceReport[] {
	const depths = new Map<string, number>();
	const report: ServiceReport[] = [];
	for (const name of order) {
		const entry = entries.get(name)!;
		let depth = 0;
		for (const dependency of entry.dependencies) depth = math.max(depth, (depths.get(dependency) ?? -1) + 1);
		depths.set(name, depth);
		const timings = entry.guard.GetTimings();
		report.push({
			name,
			state: entry.guard.GetState(),
			depth,
			dependencies: entry.dependencies,
			initMs: toMilliseconds(timings.Init.durationSeconds),
			startMs: toMilliseconds(timings.Start.durationSeconds),
			error: entry.guard.GetError()?.message,
		});
	}
	return report;
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
			formatMillisecondFigure(row.initMs),
			formatMillisecondFigure(row.startMs),
			row.dependencies.join(", "),
			row.error ?? "",
		];
	});
	return formatTable(["service", "state", "init ms", "start ms", "needs", "error"], cells, {
		title: `[${registryName}] startup tree: ${rows.size()} services, Init ${formatMillisecondFigure(totalInit)} ms, Start ${formatMillisecondFigure(totalStart)} ms`,
		align: ["left", "left", "right", "right", "left", "left"],
		empty: "(no services registered)",
	});
}
