import { shorten } from "../arguments/describeValue";
import { GuardError } from "../errors/GuardError";
import { retryAdvice, ServiceEntry } from "./ServiceEntry";
import type { LifecycleState } from "./types";

// The errors a ServiceRegistry raises about its own boot, in the registry's words (InitAll, not the
// Init of its internal guard), each with advice the caller can follow from where it stands.

/**
 * `Register` after an Init began, or after `DestroyAll`.
 *
 * @example
 * ```ts
 * throw registrationClosed("Boot.Register", "LateService", "Initialized");
 * ```
 */
export function registrationClosed(where: string, name: string, state: LifecycleState) {
	const why =
		state === "Destroyed"
			? "the registry was destroyed (DestroyAll)"
			: `registration closed when InitAll began (state ${state}); register every service before InitAll`;
	return new GuardError("InvalidState", `${where}("${shorten(name)}") refused: ${why}`, { key: shorten(name) });
}

/**
 * `StartAll` before InitAll finished: not called yet, still running, or stopped at a service.
 *
 * @example
 * ```ts
 * throw startBeforeInit("Boot", "Created", undefined); // ... call InitAll first
 * ```
 */
export function startBeforeInit(registryName: string, state: LifecycleState, stoppedAt: ServiceEntry | undefined) {
	if (stoppedAt !== undefined) {
		const name = shorten(stoppedAt.name);
		return new GuardError(
			"NotInitialized",
			`${registryName}.StartAll refused: InitAll stopped at "${name}" (${stoppedAt.guard.GetError()!.message}); ` +
				retryAdvice(stoppedAt, "InitAll"),
			{ key: name },
		);
	}
	const advice =
		state === "Initializing" ? "call InitAll (it waits for the running boot) first" : "call InitAll first";
	return new GuardError(
		"NotInitialized",
		`${registryName}.StartAll refused: InitAll has not finished (registry state ${state}); ${advice}`,
	);
}

/**
 * The thread running InitAll or StartAll was stopped (`task.cancel`): told to the callers that waited for it.
 *
 * @example
 * ```ts
 * throw bootCancelled("Boot", "InitAll", registry.stoppedEntry("Init"));
 * ```
 */
export function bootCancelled(
	registryName: string,
	method: "InitAll" | "StartAll",
	stoppedAt: ServiceEntry | undefined,
) {
	const at = stoppedAt !== undefined ? ` at "${shorten(stoppedAt.name)}"` : "";
	const advice = stoppedAt !== undefined ? retryAdvice(stoppedAt, method) : `call ${method} again to go on`;
	return new GuardError(
		"Cancelled",
		`${registryName}.${method} was cancelled${at}: the thread running it was stopped (task.cancel) before it finished; ${advice}`,
		{ key: stoppedAt !== undefined ? shorten(stoppedAt.name) : undefined },
	);
}

/**
 * InitAll or StartAll after `DestroyAll`.
 *
 * @example
 * ```ts
 * throw registryDestroyed("Boot", "InitAll");
 * ```
 */
export function registryDestroyed(registryName: string, method: "InitAll" | "StartAll") {
	return new GuardError("Destroyed", `${registryName}.${method} refused: the registry was destroyed (DestroyAll)`);
}
