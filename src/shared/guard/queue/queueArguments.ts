import { checkKey, checkOptions, checkWholeNumber, invalidArgument, OptionRule } from "../arguments/check";
import { ExecutionQueueConfig } from "./QueueTypes";

// What each ExecutionQueue call accepts, checked by the toolkit's one argument checker.

/** Most jobs running or queued per room a config accepts (a typo like 1e9 is refused, not honoured). */
export const MAX_ROOM_LIMIT = 1e6;

const CONFIG_RULES = new Map<string, OptionRule>([
	["maxConcurrentExecutions", "number"],
	["maxQueueSize", "number"],
	["executionTimeout", "seconds"],
	["cleanupInterval", "seconds"],
	["historyRetention", "seconds"],
	["historySize", "number"],
	["name", "string"],
]);

const REQUEST_RULES = new Map<string, OptionRule>([["priority", "number"]]);

const SUMMARY_RULES = new Map<string, OptionRule>([["limit", "count"]]);

/** The config with every default filled in. */
export interface QueueSettings {
	readonly maxConcurrentExecutions: number;
	readonly maxQueueSize: number;
	readonly executionTimeout: number;
	readonly cleanupInterval: number;
	readonly historyRetention: number;
	readonly historySize: number;
	readonly name: string;
}

/**
 * Checks `ExecutionQueue.new(config)` and fills in the seed's defaults.
 *
 * @example
 * ```ts
 * const settings = checkConfig({ maxQueueSize: 5 }); // settings.maxConcurrentExecutions === 3
 * ```
 */
export function checkConfig(config: unknown): QueueSettings {
	const where = "ExecutionQueue.new";
	checkOptions(where, config, CONFIG_RULES, undefined, "config");
	const given = (config ?? {}) as ExecutionQueueConfig;
	const settings: QueueSettings = {
		maxConcurrentExecutions: given.maxConcurrentExecutions ?? 3,
		maxQueueSize: given.maxQueueSize ?? 10,
		executionTimeout: given.executionTimeout ?? 30,
		cleanupInterval: given.cleanupInterval ?? 60,
		historyRetention: given.historyRetention ?? 86400,
		historySize: given.historySize ?? 50,
		name: given.name ?? "ExecutionQueue",
	};
	checkWholeNumber(where, "config.maxConcurrentExecutions", settings.maxConcurrentExecutions, 1, MAX_ROOM_LIMIT);
	checkWholeNumber(where, "config.maxQueueSize", settings.maxQueueSize, 0, MAX_ROOM_LIMIT);
	checkWholeNumber(where, "config.historySize", settings.historySize, 0, MAX_ROOM_LIMIT);
	return settings;
}

/**
 * Checks `RequestExecution(roomId, user, fn, options)`; throws the InvalidArgument that
 * RequestExecution hands back as `(nil, err)`.
 *
 * @example
 * ```ts
 * const [ok, err] = pcall(checkRequest, "ExecutionQueue.RequestExecution", roomId, user, fn, options);
 * ```
 */
export function checkRequest(where: string, roomId: unknown, user: unknown, fn: unknown, options: unknown) {
	checkKey(where, roomId, "roomId");
	checkUser(where, user, roomId as string);
	if (!typeIs(fn, "function")) invalidArgument(where, "fn", fn, "a function", roomId as string);
	checkOptions(where, options, REQUEST_RULES, roomId as string);
	const priority = (options as { priority?: unknown } | undefined)?.priority;
	if (priority !== undefined && !(priority === priority && math.abs(priority as number) < math.huge)) {
		invalidArgument(where, "options.priority", priority, "a finite number", roomId as string);
	}
}

function checkUser(where: string, user: unknown, roomId: string) {
	if (!typeIs(user, "table")) {
		invalidArgument(where, "user", user, "a table { userId = number | string, displayName = string }", roomId);
	}
	const { userId, displayName } = user as { userId?: unknown; displayName?: unknown };
	checkUserId(where, "user.userId", userId);
	if (!typeIs(displayName, "string")) invalidArgument(where, "user.displayName", displayName, "a string", roomId);
}

/**
 * Throws unless `userId` is a finite number or a non-empty string of at most 100 characters.
 *
 * @example
 * ```ts
 * checkUserId("ExecutionQueue.CancelExecution", "userId", userId);
 * ```
 */
export function checkUserId(where: string, argument: string, userId: unknown) {
	if (typeIs(userId, "number") && userId === userId && math.abs(userId) < math.huge) return;
	if (typeIs(userId, "string") && userId.size() > 0 && userId.size() <= 100) return;
	invalidArgument(where, argument, userId, "a finite number or a non-empty string of at most 100 characters");
}

/**
 * Checks a `limit` argument (a whole number ≥ 1, or nil).
 *
 * @example
 * ```ts
 * checkLimit("ExecutionQueue.GetExecutionHistory", limit);
 * ```
 */
export function checkLimit(where: string, limit: unknown) {
	if (limit !== undefined) checkWholeNumber(where, "limit", limit, 1, math.huge);
}

/**
 * Checks `printSummary` / `FormatSummary` options.
 *
 * @example
 * ```ts
 * checkSummaryOptions("ExecutionQueue.FormatSummary", { limit: 10 });
 * ```
 */
export function checkSummaryOptions(where: string, options: unknown) {
	checkOptions(where, options, SUMMARY_RULES);
}
