import { invalidArgument } from "../arguments/check";
import { formatTable } from "../summary/formatTable";
import type { IdempotentGuard } from "./IdempotentGuard";
import { formatMilliseconds } from "../summary/milliseconds";

/**
 * The guards a summary was asked for, as a list: one guard (Luau:
 * `IdempotentGuard.formatSummary(lifecycle)`) or an array of them. Anything else is an
 * InvalidArgument; the class itself means a Luau caller wrote `:` where the summary takes `.`.
 *
 * @example
 * ```ts
 * formatLifecycleSummary(summaryGuards("IdempotentGuard.formatSummary", guards, IdempotentGuard));
 * ```
 */
export function summaryGuards(where: string, guards: unknown, guardClass: object): ReadonlyArray<IdempotentGuard> {
	const isGuard = (value: unknown) => typeIs(value, "table") && getmetatable(value) === guardClass;
	if (isGuard(guards)) return [guards as IdempotentGuard];
	if (typeIs(guards, "table") && getmetatable(guards) === undefined) {
		const list = guards as ReadonlyArray<defined>;
		if (list.every(isGuard)) return list as ReadonlyArray<IdempotentGuard>;
	}
	const colonHint = guards === guardClass ? " (call it with '.', not ':')" : "";
	return invalidArgument(where, "guards", guards, `an IdempotentGuard or an array of them${colonHint}`);
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
				formatMilliseconds(timings.Init.durationSeconds),
				formatMilliseconds(timings.Start.durationSeconds),
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
