import { checkFunction, checkOptions, checkSelf, invalidArgument, OptionRule } from "../arguments/check";
import type { GuardError } from "../errors/GuardError";
import { captureTraceback, lastTraceback } from "../errors/traceback";
import { destroyedError, notInitializedError, phaseCancelled, phaseFailed, reentrantError } from "./lifecycleErrors";
import { formatLifecycleSummary, summaryGuards } from "./lifecycleSummary";
import { beginAttempt, endAttempt, MutablePhaseTiming, snapshotTiming } from "./phaseTiming";
import { PhaseRun } from "./PhaseRun";
import type { IdempotentGuardOptions, LifecyclePhase, LifecycleState, LifecycleTimings } from "./types";

const OPTION_RULES = new Map<string, OptionRule>([["allowRetry", "boolean"]]);

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
 * - Bad input (a missing function, an unknown option such as `allowRetries`, a Luau call with `.`
 *   instead of `:`) is refused with `InvalidArgument` and changes nothing.
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
	private readonly timings: Record<LifecyclePhase, MutablePhaseTiming> = {
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
			invalidArgument("IdempotentGuard.new", "name", Name, "a non-empty string (the module's name)");
		}
		checkOptions("IdempotentGuard.new", options, OPTION_RULES, Name);
		this.allowRetry = options?.allowRetry ?? false;
	}

	/**
	 * Runs `fn` as this module's Init, at most once.
	 *
	 * @returns `true` when this call ran `fn`; `false` when Init had already finished, or when this
	 *   call waited for a concurrent Init that succeeded.
	 * @throws `GuardError` `ExecutionFailed` if `fn` (or the concurrent run waited for) threw,
	 *   `Cancelled` if the thread running it was stopped, `Destroyed` after {@link Destroy},
	 *   `Reentrant` if called from inside its own `fn`, `InvalidArgument` if `fn` is not a function.
	 *
	 * @example
	 * ```ts
	 * task.spawn(() => lifecycle.Init(loadConfig)); // runs loadConfig, which yields
	 * lifecycle.Init(loadConfig); // waits for that run, returns false; loadConfig ran once
	 * ```
	 */
	public Init(fn: () => void): boolean {
		checkSelf(this, IdempotentGuard, "IdempotentGuard", "Init", "lifecycle:Init(fn)");
		checkFunction("IdempotentGuard.Init", "fn", fn, this.Name);
		const state = this.currentState();
		if (state === "Created") return this.runPhase("Init", fn);
		if (state === "Destroyed") throw destroyedError(this.Name, "Init");
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
	 * @throws `GuardError` `NotInitialized` if Init has not finished (not called, still running,
	 *   failed or cancelled), `ExecutionFailed` if `fn` threw, `Cancelled`, `Destroyed`, `Reentrant`,
	 *   `InvalidArgument`.
	 *
	 * @example
	 * ```ts
	 * lifecycle.Start(() => {}); // throws NotInitialized: Init has not run
	 * lifecycle.Init(() => {});
	 * lifecycle.Start(() => task.spawn(gameLoop)); // true
	 * ```
	 */
	public Start(fn: () => void): boolean {
		checkSelf(this, IdempotentGuard, "IdempotentGuard", "Start", "lifecycle:Start(fn)");
		checkFunction("IdempotentGuard.Start", "fn", fn, this.Name);
		const state = this.currentState();
		if (state === "Initialized") return this.runPhase("Start", fn);
		if (state === "Destroyed") throw destroyedError(this.Name, "Start");
		if (state === "Starting") return this.waitForRun("Start");
		if (state === "Started") return false;
		if (state === "Failed" && this.failedPhase === "Start") {
			if (this.allowRetry) return this.runPhase("Start", fn);
			throw this.failure!;
		}
		const initFailure = state === "Failed" ? this.failure : undefined;
		throw notInitializedError(this.Name, state, initFailure, this.allowRetry);
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
		checkSelf(this, IdempotentGuard, "IdempotentGuard", "Destroy", "lifecycle:Destroy(cleanup)");
		if (cleanup !== undefined && !typeIs(cleanup, "function")) {
			invalidArgument("IdempotentGuard.Destroy", "cleanup", cleanup, "a function or nil", this.Name);
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
		checkSelf(this, IdempotentGuard, "IdempotentGuard", "GetState", "lifecycle:GetState()");
		return this.currentState();
	}

	/**
	 * The error of the last failed phase (kind `ExecutionFailed` with `details.cause`,
	 * `details.traceback` and `details.phase`, or `Cancelled`), or `undefined`.
	 *
	 * @example
	 * ```ts
	 * const err = lifecycle.GetError();
	 * if (err) print(err.details.traceback);
	 * ```
	 */
	public GetError(): GuardError | undefined {
		checkSelf(this, IdempotentGuard, "IdempotentGuard", "GetError", "lifecycle:GetError()");
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
		checkSelf(this, IdempotentGuard, "IdempotentGuard", "GetTimings", "lifecycle:GetTimings()");
		this.currentState();
		return { Init: snapshotTiming(this.timings.Init), Start: snapshotTiming(this.timings.Start) };
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
		formatLifecycleSummary(summaryGuards("IdempotentGuard.formatSummary", guards, IdempotentGuard));

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
		print(formatLifecycleSummary(summaryGuards("IdempotentGuard.printSummary", guards, IdempotentGuard)));
	};

	private runPhase(phase: LifecyclePhase, fn: () => void): boolean {
		const timing = this.timings[phase];
		beginAttempt(timing);
		this.state = phase === "Init" ? "Initializing" : "Starting";
		this.failedPhase = undefined;
		this.failure = undefined;
		const run: PhaseRun = new PhaseRun(coroutine.running(), () => this.abandon(run, phase));
		this.running = run;

		const [ok, captured] = xpcall(fn, captureTraceback);

		endAttempt(timing);
		this.running = undefined;
		let outcome: GuardError | undefined;
		// fn may have yielded while someone called Destroy: the state is re-read, not narrowed.
		if ((this.state as LifecycleState) === "Destroyed") {
			outcome = destroyedError(this.Name, phase);
		} else if (ok) {
			this.state = phase === "Init" ? "Initialized" : "Started";
		} else {
			outcome = phaseFailed(this.Name, phase, timing.attempts, captured, lastTraceback(), this.allowRetry);
			this.fail(phase, outcome);
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
			outcome = destroyedError(this.Name, phase);
		} else {
			outcome = phaseCancelled(this.Name, phase, this.timings[phase].attempts, this.allowRetry);
			this.fail(phase, outcome);
		}
		run.settle(outcome);
	}

	private fail(phase: LifecyclePhase, failure: GuardError) {
		this.state = "Failed";
		this.failedPhase = phase;
		this.failure = failure;
	}

	private waitForRun(phase: LifecyclePhase): boolean {
		const run = this.running!;
		if (run.thread === coroutine.running()) throw reentrantError(this.Name, phase);
		const outcome = run.wait();
		if (outcome) throw outcome;
		return false;
	}
}
