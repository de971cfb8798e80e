// The lifecycle's public types in one place: what IdempotentGuard and ServiceRegistry promise is
// stated here once, in the types, as Flamework does with OnInit/OnStart.

/**
 * Where a module is in its life. The happy path is
 * `Created → Initializing → Initialized → Starting → Started`; `Failed` keeps the error of the
 * phase that threw or was cancelled, `Destroyed` is final.
 *
 * @example
 * ```ts
 * const state: LifecycleState = lifecycle.GetState();
 * if (state === "Failed") warn(lifecycle.GetError());
 * ```
 */
export type LifecycleState =
	"Created" | "Initializing" | "Initialized" | "Starting" | "Started" | "Failed" | "Destroyed";

/**
 * The two phases an `IdempotentGuard` runs at most once each.
 *
 * @example
 * ```ts
 * const phase = lifecycle.GetError()?.details.phase as LifecyclePhase | undefined; // "Init" or "Start"
 * ```
 */
export type LifecyclePhase = "Init" | "Start";

/**
 * Options of `new IdempotentGuard(name, options)`. An unknown name (a typo such as `allowRetries`)
 * is refused with `InvalidArgument` naming the closest option.
 *
 * @example
 * ```ts
 * const lifecycle = new IdempotentGuard("ArenaService", { allowRetry: true });
 * ```
 */
export interface IdempotentGuardOptions {
	/**
	 * When true, calling the phase that failed (or was cancelled) again runs its function again. Off
	 * by default, as in Knit, Flamework and Nevermore: a half-done Init usually left state behind that
	 * a second run would trip over, so retrying must be a decision, not an accident.
	 */
	readonly allowRetry?: boolean;
}

/**
 * How long one phase took, in seconds of `os.clock()` (virtual time in the emulator).
 *
 * @example
 * ```ts
 * const init: PhaseTiming = lifecycle.GetTimings().Init;
 * print(init.attempts, init.durationSeconds);
 * ```
 */
export interface PhaseTiming {
	/** How many times the phase function ran (more than 1 only with `allowRetry`). */
	readonly attempts: number;
	/** `os.clock()` when the last attempt began, if it began. */
	readonly startedAt?: number;
	/**
	 * `os.clock()` when the last attempt ended (returned or threw), if it ended. A cancelled attempt
	 * has none: its thread was stopped at a moment nobody saw.
	 */
	readonly finishedAt?: number;
	/** `finishedAt - startedAt` of the last attempt, if it ended. */
	readonly durationSeconds?: number;
}

/**
 * Timings of both phases, as returned by `IdempotentGuard.GetTimings`.
 *
 * @example
 * ```ts
 * const { Init, Start } = lifecycle.GetTimings();
 * ```
 */
export interface LifecycleTimings {
	readonly Init: PhaseTiming;
	readonly Start: PhaseTiming;
}

/**
 * What a service offers a `ServiceRegistry`. Every hook is optional; each runs at most once,
 * guarded by the service's own `IdempotentGuard`. `Start` must not block: spawn long loops with
 * `task.spawn`.
 *
 * @example
 * ```ts
 * const rewards: ServiceHooks = {
 * 	Init: () => loadRewardTable(),
 * 	Start: () => task.spawn(dailyRewardLoop),
 * };
 * ```
 */
export interface ServiceHooks {
	/** Prepare state; may yield (load config, wait for a store). Runs after the dependencies' Init. */
	Init?(): void;
	/** Begin work (connect events, spawn loops). Runs only after every service's Init finished. */
	Start?(): void;
	/** Release what the service holds; called by `ServiceRegistry.DestroyAll` in reverse order. */
	Destroy?(): void;
}

/**
 * Options of `ServiceRegistry.Register`.
 *
 * @example
 * ```ts
 * registry.Register("RewardService", rewards, { dependsOn: ["PlayerDataService"], allowRetry: true });
 * ```
 */
export interface RegisterOptions {
	/** Names of services whose Init must finish before this one's Init (they may register later). */
	readonly dependsOn?: ReadonlyArray<string>;
	/** Passed to the service's `IdempotentGuard`: a failed Init may be run again by a later InitAll. */
	readonly allowRetry?: boolean;
}

/**
 * Options of `new ServiceRegistry(options)`.
 *
 * @example
 * ```ts
 * const registry = new ServiceRegistry({ name: "Boot", slowInitWarningSeconds: 3, output: false });
 * ```
 */
export interface ServiceRegistryOptions {
	/** Label in logs and errors. Default `"ServiceRegistry"`. */
	readonly name?: string;
	/** An Init still running after this many seconds is reported. Default 5. */
	readonly slowInitWarningSeconds?: number;
	/** Called once for a slow Init. Default: `warn` with the service's name and the threshold. */
	readonly onSlowInit?: (serviceName: string, thresholdSeconds: number) => void;
	/** Where the startup tree goes after StartAll (and after a failed InitAll/StartAll). Default `print`; `false` keeps it quiet. */
	readonly output?: ((text: string) => void) | false;
}

/**
 * One service's line in the startup tree, as returned by `ServiceRegistry.GetReport()`.
 *
 * @example
 * ```ts
 * for (const row of registry.GetReport()) print(row.name, row.state, row.initMs);
 * ```
 */
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
