import { formatTable } from "../summary/formatTable";
import type { IdempotentGuard } from "./IdempotentGuard";

function ms(seconds: number | undefined) {
	return seconds === undefined ? "-" : string.format("%.1f", seconds * 1000);
}

/**
 * The lifecycle summary table behind `IdempotentGuard.printSummary`: one row per guard with its
 * state, Init/Start milliseconds, attempts and error. Failed guards come first (problems before
 * the healthy rows, as in ExecutionGuard's summary); otherwise the given order is kept.
 *
 * @example
 * ```ts
 * print(formatLifecycleSummary([playerDataLifecycle, arenaLifecycle]));
 * // IdempotentGuard summary (2 modules, 0 failed)
 * // module             state    init ms  start ms  attempts  error
 * // -----------------  -------  -------  --------  --------  -----
 * // PlayerDataService  Started      0.0       0.0  1/1
 * ```
 */
export function formatLifecycleSummary(guards: ReadonlyArray<IdempotentGuard>): string {
	const failed: IdempotentGuard[] = [];
	const healthy: IdempotentGuard[] = [];
	for (const guard of guards) (guard.GetState() === "Failed" ? failed : healthy).push(guard);
	const rows: unknown[][] = [];
	for (const group of [failed, healthy]) {
		for (const guard of group) {
			const timings = guard.GetTimings();
			rows.push([
				guard.Name,
				guard.GetState(),
				ms(timings.Init.durationSeconds),
				ms(timings.Start.durationSeconds),
				`${timings.Init.attempts}/${timings.Start.attempts}`,
				guard.GetError()?.message ?? "",
			]);
		}
	}
	return formatTable(["module", "state", "init ms", "start ms", "attempts", "error"], rows, {
		title: `IdempotentGuard summary (${guards.size()} modules, ${failed.size()} failed)`,
		align: ["left", "left", "right", "right", "right", "left"],
		empty: "(no modules)",
	});
}
