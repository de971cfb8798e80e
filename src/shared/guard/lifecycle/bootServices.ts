import { shorten } from "../arguments/describeValue";
import { GuardError } from "../errors/GuardError";
import { retryAdvice, ServiceEntry } from "./ServiceEntry";

/**
 * What one walk over the services needs from its registry.
 *
 * @example
 * ```ts
 * const boot: Boot = { registryName: "Boot", order, entries, slowInitWarningSeconds: 5, onSlowInit, emitTree };
 * ```
 */
export interface Boot {
	readonly registryName: string;
	readonly order: ReadonlyArray<string>;
	readonly entries: ReadonlyMap<string, ServiceEntry>;
	readonly slowInitWarningSeconds: number;
	readonly onSlowInit: (serviceName: string, thresholdSeconds: number) => void;
	/** Hands the startup tree to the registry's output (after a stop, and after the last Start). */
	readonly emitTree: () => void;
}

function stoppedAt(boot: Boot, method: "InitAll" | "StartAll", entry: ServiceEntry, err: unknown) {
	const isGuardError = GuardError.is(err);
	return new GuardError(
		"ExecutionFailed",
		`${boot.registryName}.${method} stopped at "${shorten(entry.name)}": ${isGuardError ? err.message : tostring(err)}; ` +
			retryAdvice(entry, method),
		{ key: shorten(entry.name), cause: err, traceback: isGuardError ? err.details.traceback : undefined },
	);
}

/**
 * Runs every service's Init in `boot.order`, each through its own guard (one already initialized
 * is skipped), warning once about an Init still running after the threshold. Stops at the first
 * failure (fail fast; see `ServiceRegistry`).
 *
 * @throws `ExecutionFailed` naming the service, with advice on whether InitAll can get past it.
 *
 * @example
 * ```ts
 * registryLifecycle.Init(() => initServices(boot));
 * ```
 */
export function initServices(boot: Boot) {
	const bootThread = coroutine.running();
	for (const name of boot.order) {
		const entry = boot.entries.get(name)!;
		const service = entry.service;
		let warned = false;
		const watchdog = task.delay(boot.slowInitWarningSeconds, () => {
			// A boot whose thread was cancelled is not "still running": it gets no warning.
			if (coroutine.status(bootThread) === "dead") return;
			warned = true;
			boot.onSlowInit(name, boot.slowInitWarningSeconds);
		});
		const [ok, err] = pcall(() => entry.guard.Init(() => service.Init?.()));
		if (!warned) task.cancel(watchdog);
		if (!ok) {
			boot.emitTree();
			throw stoppedAt(boot, "InitAll", entry, err);
		}
	}
}

/**
 * Runs every service's Start in `boot.order` (one already started is skipped), then emits the
 * startup tree. Stops at the first failure.
 *
 * @throws `ExecutionFailed` naming the service, with advice on whether StartAll can get past it.
 *
 * @example
 * ```ts
 * registryLifecycle.Start(() => startServices(boot));
 * ```
 */
export function startServices(boot: Boot) {
	for (const name of boot.order) {
		const entry = boot.entries.get(name)!;
		const service = entry.service;
		const [ok, err] = pcall(() => entry.guard.Start(() => service.Start?.()));
		if (!ok) {
			boot.emitTree();
			throw stoppedAt(boot, "StartAll", entry, err);
		}
	}
	boot.emitTree();
}
