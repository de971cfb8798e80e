import type { IdempotentGuard } from "./IdempotentGuard";
import type { ServiceHooks } from "./types";

/**
 * One registered service as the registry keeps it: its hooks, what it depends on, and the
 * {@link IdempotentGuard} its hooks run through.
 *
 * @example
 * ```ts
 * const entry: ServiceEntry = { name, service, dependencies: ["PlayerDataService"], allowRetry: false, guard };
 * ```
 */
export interface ServiceEntry {
	readonly name: string;
	readonly service: ServiceHooks;
	readonly dependencies: ReadonlyArray<string>;
	readonly allowRetry: boolean;
	readonly guard: IdempotentGuard;
}

/**
 * What the caller can do after the boot stopped at `entry` (named just before in the message): call `method` again if the service
 * retries, else nothing in this server — so no registry error advises a call that cannot work.
 *
 * @example
 * ```ts
 * `InitAll stopped at "PlayerDataService": …; ${retryAdvice(entry, "InitAll")}`;
 * // … call InitAll again to retry it and go on
 * // or: … it was registered without allowRetry, so InitAll cannot get past it in this server
 * ```
 */
export function retryAdvice(entry: ServiceEntry, method: "InitAll" | "StartAll") {
	return entry.allowRetry
		? `call ${method} again to retry it and go on`
		: `it was registered without allowRetry, so ${method} cannot get past it in this server`;
}
