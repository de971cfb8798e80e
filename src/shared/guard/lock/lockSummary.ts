import { formatMilliseconds } from "../summary/milliseconds";
import { formatTable } from "../summary/formatTable";
import { addCounts, KeyRecord, LockCounts, oldestHolder } from "./KeyRecord";
import { LockHandle, LockInfo } from "./LockTypes";
import { PermitEngine } from "./PermitEngine";

/** The public view of one key's record (`record` undefined: a key with nothing tracked). */
export function describeRecord(
	key: string,
	record: KeyRecord | undefined,
	permits: number,
	holder: LockHandle | undefined,
): LockInfo {
	return {
		key,
		locked: record !== undefined && record.held >= permits,
		permits,
		held: record?.held ?? 0,
		holder: holder?.owner,
		holderToken: holder?.token,
		lockedAt: holder?.acquiredAt,
		waiters: record?.waiting ?? 0,
		acquired: record?.acquired ?? 0,
		contended: record?.contended ?? 0,
		timedOut: record?.timedOut ?? 0,
		cancelled: record?.cancelled ?? 0,
		expired: record?.expired ?? 0,
		staleReleases: record?.staleReleases ?? 0,
		abandoned: record?.abandoned ?? 0,
	};
}

/** `GetInfo(key)`: holds that can no longer be used are ended first, so the view is exact. */
export function infoOf(engine: PermitEngine, key: string) {
	const record = engine.inspect(key);
	return describeRecord(key, record, engine.permits, record && oldestHolder(record));
}

/** `GetAllInfo()`: every tracked key, busiest first. */
export function allInfoOf(engine: PermitEngine) {
	const records = new Array<KeyRecord>();
	for (const [, record] of engine.records) records.push(record);
	const infos = new Array<LockInfo>();
	for (const record of records) {
		engine.inspect(record.key);
		infos.push(describeRecord(record.key, record, engine.permits, oldestHolder(record)));
	}
	return sortInfos(infos);
}

/** Busiest first: most waiters, then held, then most contended; ties by key for a stable print. */
export function sortInfos(infos: Array<LockInfo>) {
	return infos.sort((a, b) => {
		if (a.waiters !== b.waiters) return a.waiters > b.waiters;
		if (a.held !== b.held) return a.held > b.held;
		if (a.contended !== b.contended) return a.contended > b.contended;
		return a.key < b.key;
	});
}

/** The lock's summary table: one row per tracked key, then the totals (with retired keys). */
export function formatLockSummary(name: string, infos: ReadonlyArray<LockInfo>, retired: LockCounts) {
	const now = os.clock();
	const total: LockCounts = { ...retired };
	const rows = infos.map((info) => {
		addCounts(total, info);
		return [
			info.key,
			`${info.held}/${info.permits}`,
			info.holder !== undefined ? tostring(info.holder) : "",
			formatMilliseconds(info.lockedAt !== undefined ? now - info.lockedAt : undefined, ""),
			info.waiters,
			info.acquired,
			info.contended,
			info.timedOut,
			info.cancelled,
			info.expired,
			info.staleReleases,
			info.abandoned,
		];
	});
	rows.push([
		"(all keys)",
		"",
		"",
		"",
		"",
		total.acquired,
		total.contended,
		total.timedOut,
		total.cancelled,
		total.expired,
		total.staleReleases,
		total.abandoned,
	]);
	return formatTable(
		[
			"key",
			"held",
			"holder",
			"held ms",
			"waiters",
			"acquired",
			"contended",
			"timedOut",
			"cancelled",
			"expired",
			"stale",
			"abandoned",
		],
		rows,
		{
			title: `${name} summary (${infos.size()} keys tracked)`,
			align: [
				"left",
				"right",
				"left",
				"right",
				"right",
				"right",
				"right",
				"right",
				"right",
				"right",
				"right",
				"right",
			],
		},
	);
}
