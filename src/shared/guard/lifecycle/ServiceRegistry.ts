import { GuardError } from "../errors/GuardError";
import { IdempotentGuard, LifecycleState } from "./IdempotentGuard";
import { dependencyOrder } from "./dependencyOrder";
import { checkRegistration, resolveRegistryOptions } from "./registryArguments";
import { formatStartupTree, ServiceReport } from "./startupTree";

/**
 * What a service offers the registry. Every hook is optional; each runs at most once, guarded by the
 * service's own {@link IdempotentGuard}. `Start` must not block: spawn long loops with `task.spawn`.
 */
export interface ServiceHooks {
	/** Prepare state; may yield (load config, wait for a store). Runs after the dependencies' Init. */
	Init?(): void;
	/** Begin work (connect events, spawn loops). Runs only after every service's Init finished. */
	Start?(): void;
	/** Release what the service holds; called by {@link ServiceRegistry.DestroyAll} in reverse order. */
	Destroy?(): void;
}

/** Options of {@link ServiceRegistry.Register}. */
export interface RegisterOptions {
	/** Names of services whose Init must finish before this one's Init (they may register later). */
	readonly dependsOn?: ReadonlyArray<string>;
	/** Passed to the service's {@link IdempotentGuard}: a failed Init may be run again by a later InitAll. */
	readonly allowRetry?: boolean;
}

/** Options of a {@link ServiceRegistry}. */
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

interface Entry {
	readonly name: string;
	readonly service: ServiceHooks;
	readonly dependencies: ReadonlyArray<string>;
	readonly guard: IdempotentGuard;
}

// A failure inside the registry's own lifecycle arrives wrapped once more; callers want the real one.
function unwrap(err: unknown): unknown {
	if (GuardError.is(err, "ExecutionFailed") && GuardError.is(err.details.cause)) return err.details.cause;
	return err;
}

/**
 * Boots a game's services: each is registered with its dependencies and gets an
 * {@link IdempotentGuard}; `InitAll` runs every `Init` in dependency order, `StartAll` every `Start`
 * once all Inits finished. Calling `InitAll`/`StartAll` again is harmless (nothing runs twice); a
 * concurrent call waits for the first.
 *
 * **When an Init fails**, the boot stops there (fail fast): services already initialized stay
 * `Initialized` (nothing is rolled back or started), the failed one is `Failed` with its error and
 * traceback, every later one stays `Created` (shown as "not reached" in the startup tree), `InitAll`
 * throws `ExecutionFailed` naming the service, and `StartAll` is refused with `NotInitialized`.
 * Calling `InitAll` again skips the services already initialized and retries the failed one only if
 * it was registered with `allowRetry`; otherwise it throws the same error again. Why fail fast: a
 * later service usually reads what an earlier one prepared, and a server half-booted past a
 * failure serves players with broken state — better to stop with one clear error.
 *
 * Registration closes when `InitAll` begins (the order is fixed then): a later `Register` throws
 * `InvalidState`. A dependency cycle or an unknown dependency makes `InitAll` throw `InvalidState`
 * naming the services, before any Init runs.
 *
 * @example
 * ```ts
 * const registry = new ServiceRegistry();
 * registry.Register("PlayerDataService", playerData);
 * registry.Register("RewardService", rewards, { dependsOn: ["PlayerDataService"] });
 * registry.InitAll();  // PlayerDataService.Init, then RewardService.Init
 * registry.StartAll(); // both Starts, then prints the startup tree with per-service ms
 * ```
 */
export class ServiceRegistry {
	private readonly entries = new Map<string, Entry>();
	private readonly registrationOrder: string[] = [];
	private readonly lifecycle: IdempotentGuard;
	private readonly name: string;
	private readonly slowInitWarningSeconds: number;
	private readonly onSlowInit: (serviceName: string, thresholdSeconds: number) => void;
	private readonly output: ((text: string) => void) | false;
	private order?: ReadonlyArray<string>;

	/**
	 * @param options see {@link ServiceRegistryOptions}
	 *
	 * @example
	 * ```ts
	 * const registry = new ServiceRegistry({ slowInitWarningSeconds: 3 });
	 * ```
	 */
	public constructor(options: ServiceRegistryOptions = {}) {
		const resolved = resolveRegistryOptions(options);
		const name = resolved.name;
		this.name = name;
		this.slowInitWarningSeconds = resolved.slowInitWarningSeconds;
		this.output = resolved.output;
		this.onSlowInit = resolved.onSlowInit;
		// allowRetry: InitAll after a failure re-walks the list; each service's own guard decides whether it retries.
		this.lifecycle = new IdempotentGuard(name, { allowRetry: true });
	}

	/**
	 * Adds a service. Its hooks run through a new {@link IdempotentGuard}, which is returned.
	 *
	 * @throws `InvalidArgument` for a bad or duplicate name, a non-table service, a non-function hook
	 *   or bad options; `InvalidState` once `InitAll` has begun.
	 *
	 * @example
	 * ```ts
	 * const lifecycle = registry.Register("RewardService", rewards, { dependsOn: ["PlayerDataService"] });
	 * print(lifecycle.GetState()); // "Created"
	 * ```
	 */
	public Register(name: string, service: ServiceHooks, options: RegisterOptions = {}): IdempotentGuard {
		if (!typeIs(name, "string") || name.size() === 0) {
			throw new GuardError(
				"InvalidArgument",
				`${this.name}.Register: name must be a non-empty string, got ${typeOf(name)} ${tostring(name)}`,
			);
		}
		if (this.lifecycle.GetState() !== "Created") {
			throw new GuardError(
				"InvalidState",
				`${this.name}.Register("${name}") refused: registration closed when InitAll began (state ${this.lifecycle.GetState()}); register every service before InitAll`,
				{ key: name },
			);
		}
		if (this.entries.has(name)) {
			throw new GuardError("InvalidArgument", `${this.name}.Register: "${name}" is already registered`, {
				key: name,
			});
		}
		const dependencies = checkRegistration(this.name, name, service, options);
		const guard = new IdempotentGuard(name, { allowRetry: options.allowRetry });
		this.entries.set(name, { name, service, dependencies, guard });
		this.registrationOrder.push(name);
		return guard;
	}

	/**
	 * Runs every registered service's Init in dependency order (ties keep registration order).
	 *
	 * @returns `true` when this call ran the boot, `false` if it had already finished (or this call
	 *   waited for a concurrent InitAll that succeeded).
	 * @throws `InvalidState` for a cycle (`dependency cycle: A → B → A`) or an unknown dependency;
	 *   `ExecutionFailed` naming the service whose Init threw (see the class doc for what happens to the others).
	 *
	 * @example
	 * ```ts
	 * registry.InitAll();
	 * registry.InitAll(); // false: nothing runs twice
	 * ```
	 */
	public InitAll(): boolean {
		const [ok, result] = pcall(() => this.lifecycle.Init(() => this.initEach()));
		if (!ok) throw unwrap(result);
		return result;
	}

	/**
	 * Runs every service's Start in the same order, only after `InitAll` finished, then prints the
	 * startup tree.
	 *
	 * @returns `true` when this call ran the Starts, `false` if they had already run.
	 * @throws `NotInitialized` if `InitAll` has not finished; `ExecutionFailed` naming a Start that threw.
	 *
	 * @example
	 * ```ts
	 * registry.InitAll();
	 * registry.StartAll();
	 * ```
	 */
	public StartAll(): boolean {
		const state = this.lifecycle.GetState();
		// A failed InitAll falls through: the registry's own guard refuses with NotInitialized naming the failure.
		if (state === "Created" || state === "Initializing") {
			throw new GuardError(
				"NotInitialized",
				`${this.name}.StartAll refused: InitAll has not finished (registry state ${state}); call InitAll first`,
			);
		}
		const [ok, result] = pcall(() => this.lifecycle.Start(() => this.startEach()));
		if (!ok) throw unwrap(result);
		return result;
	}

	/**
	 * Destroys every service in reverse boot order (dependents first), calling its `Destroy` hook once.
	 * A hook that throws is reported with `warn` and the others still run. Calling it again is harmless.
	 *
	 * @example
	 * ```ts
	 * game.BindToClose(() => registry.DestroyAll());
	 * ```
	 */
	public DestroyAll() {
		const order = this.order ?? this.registrationOrder;
		for (let index = order.size() - 1; index >= 0; index--) {
			const entry = this.entries.get(order[index])!;
			const [ok, err] = pcall(() => entry.guard.Destroy(() => entry.service.Destroy?.()));
			if (!ok) warn(`[${this.name}] ${entry.name}.Destroy failed: ${tostring(err)}`);
		}
		this.lifecycle.Destroy();
	}

	/**
	 * The {@link IdempotentGuard} of a registered service, or `undefined`.
	 *
	 * @example
	 * ```ts
	 * print(registry.GetGuard("ArenaService")?.GetState());
	 * ```
	 */
	public GetGuard(name: string): IdempotentGuard | undefined {
		return this.entries.get(name)?.guard;
	}

	/**
	 * Every service's {@link IdempotentGuard}, in boot order (registration order before InitAll).
	 *
	 * @example
	 * ```ts
	 * IdempotentGuard.printSummary(registry.GetGuards());
	 * ```
	 */
	public GetGuards(): IdempotentGuard[] {
		return (this.order ?? this.registrationOrder).map((name) => this.entries.get(name)!.guard);
	}

	/**
	 * The Init order, dependencies first.
	 *
	 * @throws `InvalidState` naming a dependency cycle or an unknown dependency.
	 *
	 * @example
	 * ```ts
	 * print(registry.GetOrder().join(" → "));
	 * ```
	 */
	public GetOrder(): ReadonlyArray<string> {
		return this.order ?? dependencyOrder(this.name, this.registrationOrder, this.entries);
	}

	/**
	 * One row per service in boot order: state, depth in the dependency tree, dependencies,
	 * Init/Start milliseconds and the error if any.
	 *
	 * @example
	 * ```ts
	 * for (const row of registry.GetReport()) print(row.name, row.state, row.initMs);
	 * ```
	 */
	public GetReport(): ServiceReport[] {
		const order = this.order ?? this.registrationOrder;
		const depths = new Map<string, number>();
		const report: ServiceReport[] = [];
		for (const name of order) {
			const entry = this.entries.get(name)!;
			let depth = 0;
			for (const dependency of entry.dependencies) depth = math.max(depth, (depths.get(dependency) ?? -1) + 1);
			depths.set(name, depth);
			const timings = entry.guard.GetTimings();
			const toMs = (seconds?: number) => (seconds === undefined ? undefined : seconds * 1000);
			report.push({
				name,
				state: entry.guard.GetState() as LifecycleState,
				depth,
				dependencies: entry.dependencies,
				initMs: toMs(timings.Init.durationSeconds),
				startMs: toMs(timings.Start.durationSeconds),
				error: entry.guard.GetError()?.message,
			});
		}
		return report;
	}

	/**
	 * The startup tree as text: services in boot order, indented under their dependencies, with
	 * per-service Init/Start milliseconds (like Nevermore's init logger).
	 *
	 * @example
	 * ```ts
	 * print(registry.FormatStartupTree());
	 * ```
	 */
	public FormatStartupTree(): string {
		return formatStartupTree(this.name, this.GetReport());
	}

	/**
	 * Prints {@link FormatStartupTree} with `print`.
	 *
	 * @example
	 * ```ts
	 * registry.PrintStartupTree();
	 * ```
	 */
	public PrintStartupTree() {
		print(this.FormatStartupTree());
	}

	private initEach() {
		const order = dependencyOrder(this.name, this.registrationOrder, this.entries);
		this.order = order;
		for (const name of order) {
			const entry = this.entries.get(name)!;
			const service = entry.service;
			let warned = false;
			const watchdog = task.delay(this.slowInitWarningSeconds, () => {
				warned = true;
				this.onSlowInit(name, this.slowInitWarningSeconds);
			});
			const [ok, err] = pcall(() => entry.guard.Init(() => service.Init?.()));
			if (!warned) task.cancel(watchdog);
			if (!ok) {
				this.emitTree();
				throw new GuardError(
					"ExecutionFailed",
					`${this.name}.InitAll stopped at "${name}": ${GuardError.is(err) ? err.message : tostring(err)}`,
					{ key: name, cause: err, traceback: GuardError.is(err) ? err.details.traceback : undefined },
				);
			}
		}
	}

	private startEach() {
		for (const name of this.order!) {
			const entry = this.entries.get(name)!;
			const service = entry.service;
			const [ok, err] = pcall(() => entry.guard.Start(() => service.Start?.()));
			if (!ok) {
				this.emitTree();
				throw new GuardError(
					"ExecutionFailed",
					`${this.name}.StartAll stopped at "${name}": ${GuardError.is(err) ? err.message : tostring(err)}`,
					{ key: name, cause: err, traceback: GuardError.is(err) ? err.details.traceback : undefined },
				);
			}
		}
		this.emitTree();
	}

	private emitTree() {
		if (this.output !== false) this.output(this.FormatStartupTree());
	}
}
