import { GuardError } from "../errors/GuardError";
import { formatLifecycleSummary } from "./lifecycleSummary";
import { PhaseRun } from "./PhaseRun";

/**
 * Where a module is in its life. The happy path is
 * `Created → Initializing → Initialized → Starting → Started`; `Failed` keeps the error of the
 * phase that threw, `Destroyed` is final.
 */
export type LifecycleState =
	"Created" | "Initializing" | "Initialized" | "Starting" | "Started" | "Failed" | "Destroyed";

/** The two phases an {@link IdempotentGuard} runs at most once each. */
export type LifecyclePhase = "Init" | "Start";

/** Options of {@link IdempotentGuard}. */
export interface IdempotentGuardOptions {
	/**
	 * When true, calling the phase that failed again runs its function again. Off by default, as in
	 * Knit, Flamework and Nevermore: a half-done Init usually left state behind that a second run
	 * would trip over, so retrying must be a decision, not an accident.
	 */
	readonly allowRetry?: boolean;
}

/** How long one phase took, in seconds of `os.clock()` (virtual time in the emulator). */
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

/** Timings of both phases, as returned by {@link IdempotentGuard.GetTimings}. */
export interface LifecycleTimings {
	readonly Init: PhaseTiming;
	readonly Start: PhaseTiming;
}

interface MutableTiming {
	attempts: number;
	startedAt?: number;
	finishedAt?: number;
}

interface CapturedFailure {
	readonly cause: unknown;
	readonly traceback: string;
}

// One handler for every guard: no closure per call. Level 2 starts the traceback at the code that threw.
function captureFailure(cause: unknown): CapturedFailure {
	return { cause, traceback: debug.traceback(tostring(cause), 2) };
}

function snapshot(timing: MutableTiming): PhaseTiming {
	const { attempts, startedAt, finishedAt } = timing;
	const durationSeconds = startedAt !== undefined && finishedAt !== undefined ? finishedAt - startedAt : undefined;
	return { attempts, startedAt, finishedAt, durationSeconds };
}

/**
 * Makes a module's `Init` and `Start` happen at most once each, in that order — the lifecycle twin of
 * `ExecutionGuard` (state-based, no result cache, no timeout).
 *
 * - A repeat `Init`/`Start` is a no-op that returns `false` ("already done").
 * - A caller arriving while the phase runs waits for that run and shares its outcome (it returns
 *   `false` on success, or throws the same error on failure) — the function never runs twice.
 * - `Start` before `Init` finished throws `NotInitialized`; anything after `Destroy` throws `Destroyed`.
 * - A phase function that throws moves the guard to `Failed`, keeps the error and traceback
 *   ({@link GetError}) and rethrows it as a `GuardError` of kind `ExecutionFailed`. Calling that
 *   phase again rethrows the same error, unless `allowRetry` is set, in which case it runs again.
 * - A phase whose thread is stopped (`task.cancel`, e.g. by a PlayerRemoving handler) fails the same
 *   way with kind `Cancelled`: its waiters get that error within a frame, the next call sees it at
 *   once, and it is retried only with `allowRetry` (the stopped function may have left half-done work).
 *
 * @example
 * ```ts
 * const lifecycle = new IdempotentGuard("PlayerDataService");
 * lifecycle.Init(() => connectDataStore()); // true: ran
 * lifecycle.Init(() => connectDataStore()); // false: already initialized, nothing ran
 * lifecycle.Start(() => startAutosave());   // true
 * print(lifecycle.GetState());              // "Started"
 * ```
 * From Luau: `local lifecycle = IdempotentGuard.new("PlayerDataService")`, `lifecycle:Init(function() … end)`.
 */
export class IdempotentGuard {
	private state: LifecycleState = "Created";
	private failedPhase?: LifecyclePhase;
	private failure?: GuardError;
	private running?: PhaseRun;
	private readonly timings: Record<LifecyclePhase, MutableTiming> = {
		Init: { attempts: 0 },
		Start: { attempts: 0 },
	};
	private readonly allowRetry: boolean;

	/**
	 * @param name what the guard protects, used in every error and in summaries (e.g. `"PlayerDataService"`)
	 * @param options `{ allowRetry }`, see {@link IdempotentGuardOptions}
	 *
	 * @example
	 * ```ts
	 * const lifecycle = new IdempotentGuard("ArenaService", { allowRetry: true });
	 * ```
	 */
	public constructor(
		public readonly Name: string,
		options?: IdempotentGuardOptions,
	) {
		if (!typeIs(Name, "string") || Name.size() === 0) {
			throw new GuardError(
				"InvalidArgument",
				`IdempotentGuard name must be a non-empty string (the module's name), got ${typeOf(Name)} ${tostring(Name)}`,
			);
		}
		if (options !== undefined && !typeIs(options, "table")) {
			throw new GuardError(
				"InvalidArgument",
				`IdempotentGuard "${Name}": options must be a table like { allowRetry: true }, got ${typeOf(options)}`,
			);
		}
		const allowRetry = options?.allowRetry;
		if (allowRetry !== undefined && !typeIs(allowRetry, "boolean")) {
			throw new GuardError(
				"InvalidArgument",
				`IdempotentGuard "${Name}": options.allowRetry must be a boolean, got ${typeOf(allowRetry)}`,
			);
		}
		this.allowRetry = allowRetry ?? false;
	}

	/**
	 * Runs `fn` as this module's Init, at most once.
	 *
	 * @returns `true` when this call ran `fn`; `false` when Init had already finished, or when this
	 *   call waited for a concurrent Init that succeeded.
	 * @throws `GuardError` `ExecutionFailed` if `fn` (or the concurrent run waited for) threw,
	 *   `Destroyed` after {@link Destroy}, `Reentrant` if called from inside its own `fn`,
	 *   `InvalidArgument` if `fn` is not a function.
	 *
	 * @example
	 * ```ts
	 * task.spawn(() => lifecycle.Init(loadConfig)); // runs loadConfig, which yields
	 * lifecycle.Init(loadConfig); // waits for that run, returns false; loadConfig ran once
	 * ```
	 */
	public Init(fn: () => void): boolean {
		this.checkFunction("Init", fn);
		const state = this.currentState();
		if (state === "Created") return this.runPhase("Init", fn);
		if (state === "Destroyed") throw this.destroyedError("Init");
		if (state === "Initializing") return this.waitForRun("Init");
		if (state === "Failed" && this.failedPhase === "Init") {
			if (this.allowRetry) return this.runPhase("Init", fn);
			throw this.failure!;
		}
		// Initialized, Starting, Started, or Start failed: Init itself is done.
		return false;
	}

	/**
	 * Runs `fn` as this module's Start, at most once, and only after Init finished.
	 *
	 * @returns `true` when this call ran `fn`; `false` when Start had already finished, or when this
	 *   call waited for a concurrent Start that succeeded.
	 * @throws `GuardError` `NotInitialized` if Init has not finished (not called, still running, or
	 *   failed), `ExecutionFailed` if `fn` threw, `Destroyed`, `Reentrant`, `InvalidArgument`.
	 *
	 * @example
	 * ```ts
	 * lifecycle.Start(() => {}); // throws NotInitialized: Init has not run
	 * lifecycle.Init(() => {});
	 * lifecycle.Start(() => task.spawn(gameLoop)); // true
	 * ```
	 */
	public Start(fn: () => void): boolean {
		this.checkFunction("Start", fn);
		const state = this.currentState();
		if (state === "Initialized") return this.runPhase("Start", fn);
		if (state === "Destroyed") throw this.destroyedError("Start");
		if (state === "Starting") return this.waitForRun("Start");
		if (state === "Started") return false;
		if (state === "Failed" && this.failedPhase === "Start") {
			if (this.allowRetry) return this.runPhase("Start", fn);
			throw this.failure!;
		}
		const why =
			state === "Failed"
				? `its Init failed (${this.failure!.message})`
				: state === "Initializing"
					? "its Init is still running"
					: "Init has not been called";
		throw new GuardError(
			"NotInitialized",
			`"${this.Name}": Start was called but ${why}; call Init and let it finish first`,
			{ key: this.Name, state },
		);
	}

	/**
	 * Ends the module's life: every later `Init`/`Start` throws `Destroyed`. Runs `cleanup` (if
	 * given) once. Destroying while a phase runs lets that run finish, then its callers get
	 * `Destroyed` and the state stays `Destroyed`.
	 *
	 * @returns `true` the first time, `false` if already destroyed (a second Destroy is harmless).
	 *
	 * @example
	 * ```ts
	 * game.BindToClose(() => lifecycle.Destroy(() => autosave.Disconnect()));
	 * ```
	 */
	public Destroy(cleanup?: () => void): boolean {
		if (cleanup !== undefined && !typeIs(cleanup, "function")) {
			throw new GuardError(
				"InvalidArgument",
				`"${this.Name}": Destroy(cleanup) expects a function or nothing, got ${typeOf(cleanup)}`,
			);
		}
		if (this.currentState() === "Destroyed") return false;
		this.state = "Destroyed";
		if (cleanup) cleanup();
		return true;
	}

	/**
	 * The current state.
	 *
	 * @example
	 * ```ts
	 * if (lifecycle.GetState() === "Failed") warn(lifecycle.GetError());
	 * ```
	 */
	public GetState(): LifecycleState {
		return this.currentState();
	}

	/**
	 * The error of the last failed phase (kind `ExecutionFailed`, with `details.cause`,
	 * `details.traceback` and `details.phase`), or `undefined`.
	 *
	 * @example
	 * ```ts
	 * const err = lifecycle.GetError();
	 * if (err) print(err.details.traceback);
	 * ```
	 */
	public GetError(): GuardError | undefined {
		this.currentState();
		return this.failure;
	}

	/**
	 * When each phase ran and how long it took (seconds).
	 *
	 * @example
	 * ```ts
	 * print(`Init took ${lifecycle.GetTimings().Init.durationSeconds! * 1000} ms`);
	 * ```
	 */
	public GetTimings(): LifecycleTimings {
		this.currentState();
		return { Init: snapshot(this.timings.Init), Start: snapshot(this.timings.Start) };
	}

	/**
	 * The summary table of one or more guards as text (state, Init/Start ms, attempts, error;
	 * failed modules first).
	 *
	 * A static *property* (not a static method) so Luau's dot call works:
	 * `IdempotentGuard.formatSummary(lifecycle)` — a roblox-ts static method compiles to `:` and would
	 * take `lifecycle` as `self`.
	 *
	 * @example
	 * ```ts
	 * const text = IdempotentGuard.formatSummary([dataLifecycle, arenaLifecycle]);
	 * ```
	 */
	public static readonly formatSummary = (guards: IdempotentGuard | ReadonlyArray<IdempotentGuard>): string =>
		formatLifecycleSummary(guards instanceof IdempotentGuard ? [guards] : guards);

	/**
	 * Prints {@link formatSummary} to the console (F9), like `ExecutionGuard.printSummary(guard)`.
	 * A static property for the same reason as {@link formatSummary}: from Luau,
	 * `IdempotentGuard.printSummary(lifecycle)` works as written.
	 *
	 * @example
	 * ```ts
	 * IdempotentGuard.printSummary(registry.GetGuards());
	 * ```
	 */
	public static readonly printSummary = (guards: IdempotentGuard | ReadonlyArray<IdempotentGuard>) => {
		print(IdempotentGuard.formatSummary(guards));
	};

	private runPhase(phase: LifecyclePhase, fn: () => void): boolean {
		const timing = this.timings[phase];
		timing.attempts += 1;
		timing.startedAt = os.clock();
		timing.finishedAt = undefined;
		this.state = phase === "Init" ? "Initializing" : "Starting";
		this.failedPhase = undefined;
		this.failure = undefined;
		const run: PhaseRun = new PhaseRun(coroutine.running(), () => this.abandon(run, phase));
		this.running = run;

		const [ok, captured] = xpcall(fn, captureFailure);

		timing.finishedAt = os.clock();
		this.running = undefined;
		let outcome: GuardError | undefined;
		// fn may have yielded while someone called Destroy: the state is re-read, not narrowed.
		if ((this.state as LifecycleState) === "Destroyed") {
			outcome = this.destroyedError(phase);
		} else if (ok) {
			this.state = phase === "Init" ? "Initialized" : "Started";
		} else {
			const { cause, traceback } = captured as CapturedFailure;
			outcome = new GuardError(
				"ExecutionFailed",
				`"${this.Name}": ${phase} failed on attempt ${timing.attempts}: ${tostring(cause)}; ${this.retryNote(phase)}`,
				{ key: this.Name, phase, cause, traceback, attempts: timing.attempts },
			);
			this.state = "Failed";
			this.failedPhase = phase;
			this.failure = outcome;
		}

		run.settle(outcome);
		if (outcome) throw outcome;
		return true;
	}

	// The state, after settling a run whose thread was stopped: without this, a cancelled Init would
	// read "Initializing" for the life of the server.
	private currentState(): LifecycleState {
		this.running?.settleIfAbandoned();
		return this.state;
	}

	private abandon(run: PhaseRun, phase: LifecyclePhase) {
		if (this.running !== run) return;
		this.running = undefined;
		let outcome: GuardError;
		if (this.state === "Destroyed") {
			outcome = this.destroyedError(phase);
		} else {
			const attempts = this.timings[phase].attempts;
			outcome = new GuardError(
				"Cancelled",
				`"${this.Name}": ${phase} was cancelled on attempt ${attempts}: the thread running it was stopped (task.cancel) before it finished; ${this.retryNote(phase)}`,
				{ key: this.Name, phase, attempts },
			);
			this.state = "Failed";
			this.failedPhase = phase;
			this.failure = outcome;
		}
		run.settle(outcome);
	}

	private retryNote(phase: LifecyclePhase) {
		return this.allowRetry ? `calling ${phase} again retries it` : "retry is off (allowRetry = false)";
	}

	private waitForRun(phase: LifecyclePhase): boolean {
		const run = this.running!;
		if (run.thread === coroutine.running()) {
			throw new GuardError(
				"Reentrant",
				`"${this.Name}": ${phase} was called from inside its own ${phase} function; it would wait for itself forever`,
				{ key: this.Name, phase },
			);
		}
		const outcome = run.wait();
		if (outcome) throw outcome;
		return false;
	}

	private checkFunction(phase: LifecyclePhase, fn: unknown) {
		if (!typeIs(fn, "function")) {
			throw new GuardError(
				"InvalidArgument",
				`"${this.Name}": ${phase}(fn) expects the ${phase} function, got ${typeOf(fn)}; state unchanged (${this.state})`,
				{ key: this.Name },
			);
		}
	}

	private destroyedError(phase: LifecyclePhase) {
		return new GuardError("Destroyed", `"${this.Name}" was destroyed; ${phase} is refused`, {
			key: this.Name,
			phase,
		});
	}
}
