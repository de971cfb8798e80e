import { MemoryStoreService, MessagingService } from "@rbxts/services";
import { checkOptions, invalidArgument, OptionRule } from "../../arguments/check";
import { ExperienceLeases } from "./ExperienceLeases";

/** Longest MemoryStore expiration (45 days), so the longest `resultTtl` a shared result can have. */
export const MAX_MEMORY_STORE_EXPIRATION = 3888000;

/**
 * The `experience` table of `ExecutionGuard.new(debug, { scope = "Experience", experience = {...} })`.
 * Every field is optional.
 *
 * @example
 * ```ts
 * new ExecutionGuard(false, { scope: "Experience", resultTtl: 3600, experience: { name: "Rewards", shareResults: true } });
 * ```
 */
export interface ExperienceOptions {
	/**
	 * Namespace of this guard's keys in MemoryStore and its MessagingService topic (default
	 * `"ExecutionGuard"`): guards for different work must have different names. 1-24 characters.
	 */
	readonly name?: string;
	/** Seconds a lease lasts unless renewed (default 30): how long a crashed holder keeps others waiting. */
	readonly leaseTtl?: number;
	/** Keep results in MemoryStore for `resultTtl`, so other servers reuse them (default false). */
	readonly shareResults?: boolean;
	/** Publish a MessagingService hint when a run ends, so remote joiners look at once (default true). */
	readonly notify?: boolean;
	/** Longest wait between a remote joiner's polls, in seconds (default 4); the first is 0.25 s. */
	readonly maxPollInterval?: number;
	/** Another lease backend (default: the lease lock over MemoryStore). */
	readonly leases?: ExperienceLeases;
	/** The services, for code that passes its own (default `game.GetService(...)`). */
	readonly memoryStore?: MemoryStoreService;
	readonly messaging?: MessagingService;
}

/** The settings an experience guard runs with, defaults filled in. */
export interface ExperienceSettings {
	readonly name: string;
	readonly leaseTtl: number;
	readonly shareResults: boolean;
	readonly notify: boolean;
	readonly maxPollInterval: number;
	/** Seconds a shared result is kept in MemoryStore (the guard's resultTtl). */
	readonly resultTtl: number | undefined;
	readonly leases: ExperienceLeases | undefined;
	readonly memoryStore: MemoryStoreService;
	readonly messaging: MessagingService | undefined;
}

const EXPERIENCE_OPTIONS = new Map<string, OptionRule>([
	["name", "string"],
	["leaseTtl", "seconds"],
	["shareResults", "boolean"],
	["notify", "boolean"],
	["maxPollInterval", "seconds"],
	["leases", "table"],
	["memoryStore", "any"],
	["messaging", "any"],
]);

const WHERE = "ExecutionGuard.new";

/**
 * Checks `config.scope` and `config.experience` and fills in the defaults; undefined for a guard of
 * this server only (the default).
 *
 * @example
 * ```ts
 * const settings = experienceSettings({ scope: "Experience", resultTtl: 60 }); // name "ExecutionGuard", leaseTtl 30
 * ```
 */
export function experienceSettings(config: {
	readonly scope?: unknown;
	readonly experience?: unknown;
	readonly resultTtl?: number;
}): ExperienceSettings | undefined {
	const scope = config.scope;
	if (scope !== undefined && scope !== "Server" && scope !== "Experience") {
		invalidArgument(WHERE, "config.scope", scope, `"Server" (this server only, the default) or "Experience"`);
	}
	const options = config.experience as ExperienceOptions | undefined;
	checkOptions(WHERE, options, EXPERIENCE_OPTIONS, undefined, "config.experience");
	if (scope !== "Experience") {
		if (options !== undefined) {
			invalidArgument(WHERE, "config.experience", options, `nil unless config.scope is "Experience"`);
		}
		return undefined;
	}
	const name = options?.name ?? "ExecutionGuard";
	if (name.size() < 1 || name.size() > 24) {
		invalidArgument(WHERE, "config.experience.name", name, "a string of 1 to 24 characters");
	}
	const leaseTtl = options?.leaseTtl ?? 30;
	if (leaseTtl < 3 || leaseTtl > 3600) {
		invalidArgument(WHERE, "config.experience.leaseTtl", leaseTtl, "from 3 to 3600 seconds");
	}
	const shareResults = options?.shareResults ?? false;
	const resultTtl = config.resultTtl;
	if (shareResults && (resultTtl === undefined || resultTtl > MAX_MEMORY_STORE_EXPIRATION)) {
		invalidArgument(
			WHERE,
			"config.resultTtl",
			resultTtl,
			`seconds from 1 to ${MAX_MEMORY_STORE_EXPIRATION} (MemoryStore's 45 days) with experience.shareResults: ` +
				`shared results expire from MemoryStore after resultTtl`,
		);
	}
	const leases = options?.leases;
	if (leases !== undefined && !(typeIs(leases.tryAcquire, "function") && typeIs(leases.peek, "function"))) {
		invalidArgument(WHERE, "config.experience.leases", leases, "a table with tryAcquire and peek methods");
	}
	return {
		name,
		leaseTtl,
		shareResults,
		notify: options?.notify ?? true,
		maxPollInterval: options?.maxPollInterval ?? 4,
		resultTtl,
		leases,
		memoryStore: options?.memoryStore ?? MemoryStoreService,
		messaging: options?.messaging ?? (options?.notify === false ? undefined : MessagingService),
	};
}
