import { checkSelf, invalidArgument } from "../arguments/check";
import { shorten } from "../arguments/describeValue";
import { GuardError } from "../errors/GuardError";
import { Boot, initServices, startServices } from "./bootServices";
import { dependencyOrder } from "./dependencyOrder";
import { IdempotentGuard } from "./IdempotentGuard";
import { checkRegistration, resolveRegistryOptions } from "./registryArguments";
import { bootCancelled, registrationClosed, registryDestroyed, startBeforeInit } from "./registryErrors";
import type { ServiceEntry } from "./ServiceEntry";
import { buildStartupReport, formatStartupTree } from "./startupTree";
import type { RegisterOptions, ServiceHooks, ServiceRegistryOptions, ServiceReport } from "./types";

type BootMethod = "InitAll" | "StartAll";

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
 * it was registered with `allowRetry`; otherwise it throws the same error again (the errors say
 * which). Why fail fast: a later service usually reads what an earlier one prepared, and a server
 * half-booted past a failure serves players with broken state — better to stop with one clear error.
 * A boot whose thread is cancelled (`task.cancel`) stops the same way: a concurrent `InitAll` gets
 * `Cancelled` naming the service, and the next `InitAll` goes on as after a failure.
 *
 * A dependency cycle or an unknown dependency makes `InitAll` throw `InvalidState` naming the
 * services, before any Init runs and with nothing changed: register the missing service (or fix
 * the `dependsOn` where the services are registered) and call `InitAll` again. Registration closes
 * once an Init has begun (the order is fixed then): a later `Register` throws `InvalidState`.
 *
 * @example
 * ```ts
 * const registry = new ServiceRegistry();
 * registry.Register("PlayerDataService", playerData);
 * registry.Register("RewardService", rewards, { dependsOn: ["PlayerDataService"] });
 * registry.InitAll();  // PlayerDataService.Init, then RewardService.Init
 * registry.StartAll(); // both Starts, then prints the startup tree with per-service ms
 * ```
 * From Luau: `local registry = ServiceRegistry.new()`, `registry:Register("RewardService", rewards)`.
 */
export class ServiceRegistry {
	private readonly entries = new Map<string, ServiceEntry>();
	private readonly registrationOrder: string[] = [];
	private readonly lifecycle: IdempotentGuard;
	private boot: Boot;
	private order?: ReadonlyArray<string>;

	/**
	 * @param options see {@link ServiceRegistryOptions}
	 *
	 * @example
	 * ```ts
	 * const registry = new ServiceRegistry({ slowInitWarningSeconds: 3 });
	 * ```
	 */
	public constructor(options?: ServiceRegistryOptions) {
		const { name, slowInitWarningSeconds, onSlowInit, output } = resolveRegistryOptions(options);
		// allowRetry: InitAll after a failure re-walks the list; each service's own guard decides whether it retries.
		this.lifecycle = new IdempotentGuard(name, { allowRetry: true });
		this.boot = {
			registryName: shorten(name),
			order: this.registrationOrder,
			entries: this.entries,
			slowInitWarningSeconds,
			onSlowInit,
			emitTree: () => {
				if (output !== false) output(formatStartupTree(name, this.GetReport()));
			},
		};
	}

	/**
	 * Adds a service. Its hooks run through a new {@link IdempotentGuard}, which is returned.
	 *
	 * @throws `InvalidArgument` for a bad or duplicate name, a non-table service, a non-function hook
	 *   or bad options; `InvalidState` once an Init has begun, or after `DestroyAll`.
	 *
	 * @example
	 * ```ts
	 * const lifecycle = registry.Register("RewardService", rewards, { dependsOn: ["PlayerDataService"] });
	 * print(lifecycle.GetState()); // "Created"
	 * ```
	 */
	public Register(name: string, service: ServiceHooks, options?: RegisterOptions): IdempotentGuard {
		checkSelf(this, ServiceRegistry, "ServiceRegistry", "Register", "registry:Register(name, service, options)");
		const where = `${this.boot.registryName}.Register`;
		const { dependencies, allowRetry } = checkRegistration(where, name, service, options);
		const state = this.lifecycle.GetState();
		if (state !== "Created") throw registrationClosed(where, name, state);
		if (this.entries.has(name)) {
			invalidArgument(where, "name", name, "a name not registered yet (give each service its own)", name);
		}
		const guard = new IdempotentGuard(name, { allowRetry });
		this.entries.set(name, { name, service, dependencies, allowRetry, guard });
		this.registrationOrder.push(name);
		return guard;
	}

	/**
	 * Runs every registered service's Init in dependency order (ties keep registration order).
	 *
	 * @returns `true` when this call ran the boot, `false` if it had already finished (or this call
	 *   waited for a concurrent InitAll that succeeded).
	 * @throws `InvalidState` for a cycle (`dependency cycle: A → B → A`) or an unknown dependency, with
	 *   nothing changed; `ExecutionFailed` naming the service whose Init threw (see the class doc for
	 *   what happens to the others); `Cancelled` to a concurrent caller when the boot's thread was stopped.
	 *
	 * @example
	 * ```ts
	 * registry.InitAll();
	 * registry.InitAll(); // false: nothing runs twice
	 * ```
	 */
	public InitAll(): boolean {
		checkSelf(this, ServiceRegistry, "ServiceRegistry", "InitAll", "registry:InitAll()");
		// Ordered before the registry's own Init begins, so a cycle or a missing dependency changes
		// nothing: registration stays open and the error's advice (register it) can be followed.
		if (this.lifecycle.GetState() === "Created") {
			const order = dependencyOrder(this.boot.registryName, this.registrationOrder, this.entries);
			this.order = order;
			this.boot = { ...this.boot, order };
		}
		const [ok, result] = pcall(() => this.lifecycle.Init(() => initServices(this.boot)));
		if (!ok) throw this.explain(result, "InitAll");
		return result;
	}

	/**
	 * Runs every service's Start in the same order, only after `InitAll` finished, then prints the
	 * startup tree.
	 *
	 * @returns `true` when this call ran the Starts, `false` if they had already run.
	 * @throws `NotInitialized` if `InitAll` has not finished (saying whether calling it again can
	 *   help); `ExecutionFailed` naming a Start that threw.
	 *
	 * @example
	 * ```ts
	 * registry.InitAll();
	 * registry.StartAll();
	 * ```
	 */
	public StartAll(): boolean {
		checkSelf(this, ServiceRegistry, "ServiceRegistry", "StartAll", "registry:StartAll()");
		const state = this.lifecycle.GetState();
		// A failed Start falls through: the registry's own guard retries the Starts (each service's guard decides).
		const stoppedAt = state === "Failed" ? this.stoppedEntry("Init") : undefined;
		if (state === "Created" || state === "Initializing" || stoppedAt !== undefined) {
			throw startBeforeInit(this.boot.registryName, state, stoppedAt);
		}
		const [ok, result] = pcall(() => this.lifecycle.Start(() => startServices(this.boot)));
		if (!ok) throw this.explain(result, "StartAll");
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
		checkSelf(this, ServiceRegistry, "ServiceRegistry", "DestroyAll", "registry:DestroyAll()");
		const order = this.order ?? this.registrationOrder;
		for (let index = order.size() - 1; index >= 0; index--) {
			const entry = this.entries.get(order[index])!;
			const [ok, err] = pcall(() => entry.guard.Destroy(() => entry.service.Destroy?.()));
			if (!ok) warn(`[${this.boot.registryName}] ${shorten(entry.name)}.Destroy failed: ${tostring(err)}`);
		}
		this.lifecycle.Destroy();
	}

	/**
	 * The {@link IdempotentGuard} of a registered service, or `undefined`.
	 *
	 * @throws `InvalidArgument` if `name` is not a string.
	 *
	 * @example
	 * ```ts
	 * print(registry.GetGuard("ArenaService")?.GetState());
	 * ```
	 */
	public GetGuard(name: string): IdempotentGuard | undefined {
		checkSelf(this, ServiceRegistry, "ServiceRegistry", "GetGuard", "registry:GetGuard(name)");
		if (!typeIs(name, "string")) invalidArgument(`${this.boot.registryName}.GetGuard`, "name", name, "a string");
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
		checkSelf(this, ServiceRegistry, "ServiceRegistry", "GetGuards", "registry:GetGuards()");
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
		checkSelf(this, ServiceRegistry, "ServiceRegistry", "GetOrder", "registry:GetOrder()");
		return this.order ?? dependencyOrder(this.boot.registryName, this.registrationOrder, this.entries);
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
		checkSelf(this, ServiceRegistry, "ServiceRegistry", "GetReport", "registry:GetReport()");
		return buildStartupReport(this.order ?? this.registrationOrder, this.entries);
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
		checkSelf(this, ServiceRegistry, "ServiceRegistry", "FormatStartupTree", "registry:FormatStartupTree()");
		return formatStartupTree(this.lifecycle.Name, this.GetReport());
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
		checkSelf(this, ServiceRegistry, "ServiceRegistry", "PrintStartupTree", "registry:PrintStartupTree()");
		print(this.FormatStartupTree());
	}

	// The first service (in boot order) whose given phase failed or was cancelled.
	private stoppedEntry(phase: "Init" | "Start") {
		for (const name of this.order ?? this.registrationOrder) {
			const entry = this.entries.get(name)!;
			if (entry.guard.GetState() === "Failed" && entry.guard.GetError()!.details.phase === phase) return entry;
		}
		return undefined;
	}

	// Errors of the registry's own guard, said in the registry's words (InitAll, not Init).
	private explain(err: unknown, method: BootMethod): unknown {
		// A failure inside the registry's own lifecycle arrives wrapped once more; callers want the real one.
		if (GuardError.is(err, "ExecutionFailed") && GuardError.is(err.details.cause)) return err.details.cause;
		if (GuardError.is(err, "Destroyed")) return registryDestroyed(this.boot.registryName, method);
		if (GuardError.is(err, "Cancelled") && err === this.lifecycle.GetError()) {
			const stoppedAt = this.stoppedEntry(method === "InitAll" ? "Init" : "Start");
			return bootCancelled(this.boot.registryName, method, stoppedAt);
		}
		return err;
	}
}
