// Luau callers get `local handle, err = lock:TryAcquire(key)`, the two-value style of the seed API.
/* eslint-disable roblox-ts/no-user-defined-lua-tuple */
import { checkKey } from "../arguments/check";
import { GuardError } from "../errors/GuardError";
import { oldestHolder } from "./KeyRecord";
import { WaiterNode, WaiterState } from "./PermitQueue";
import { alreadyRunning, waitCancelled } from "./lockErrors";
import { checkAcquireOptions, checkTryOptions } from "./lockOptions";
import { AcquireOptions, LockHandle, TryAcquireOptions } from "./LockTypes";
import { PermitEngine } from "./PermitEngine";
import { PermitHandle } from "./PermitHandle";
import { retryWithBackoff } from "./retryWithBackoff";

// The acquisitions every in-memory lock offers, written once over the engine it owns: KeyedLock and
// Semaphore call these with their engine and the label of the method (`TradeLocks.TryAcquire`).

/** Receives the queue node of a waiting `Acquire` so a promise can cancel it. */
export interface WaitSlot {
	node?: WaiterNode;
}

type Acquired = LuaTuple<[LockHandle | undefined, GuardError | undefined]>;

/**
 * `TryAcquire`: grant now or `(nil, AlreadyRunning)`; with `retries`, poll with backoff. `bound` ties
 * the hold to a thread (WithLock); undefined for a plain handle.
 *
 * @example
 * ```ts
 * return tryAcquire(this.engine, "TradeLocks.TryAcquire", key, options, undefined);
 * ```
 */
export function tryAcquire(
	engine: PermitEngine,
	where: string,
	key: string,
	options: TryAcquireOptions | undefined,
	bound: thread | undefined,
): Acquired {
	checkKey(where, key);
	checkTryOptions(where, options, key);
	return takeOrPoll(engine, where, key, options, bound);
}

/** `tryAcquire` after its checks (WithLock checks its own options first). */
export function takeOrPoll(
	engine: PermitEngine,
	where: string,
	key: string,
	options: TryAcquireOptions | undefined,
	bound: thread | undefined,
): Acquired {
	const owner = options?.owner ?? coroutine.running();
	const leaseTtl = options?.leaseTtl ?? engine.defaultLeaseTtl;
	const attempt = () => engine.takeIfFree(key, owner, leaseTtl, bound);
	const handle = options?.retries !== undefined ? retryWithBackoff(options, attempt) : attempt();
	if (handle !== undefined) return $tuple(handle, undefined);
	const record = engine.records.get(key)!;
	return $tuple(undefined, alreadyRunning(where, key, engine.permits, oldestHolder(record), os.clock()));
}

/**
 * `Acquire`: grant now, or wait in the FIFO queue until granted, timed out or cancelled. Yields.
 * `scoped` (WithLock) keeps the hold bound to the calling thread after the wait.
 *
 * @example
 * ```ts
 * return acquire(this.engine, "TradeLocks.Acquire", key, options, undefined, false);
 * ```
 */
export function acquire(
	engine: PermitEngine,
	where: string,
	key: string,
	options: AcquireOptions | undefined,
	slot: WaitSlot | undefined,
	scoped: boolean,
): Acquired {
	checkKey(where, key);
	checkAcquireOptions(where, options, key);
	return waitForPermit(engine, where, key, options, slot, scoped);
}

/** `acquire` after its checks (WithLock and AcquireAsync check first). */
export function waitForPermit(
	engine: PermitEngine,
	where: string,
	key: string,
	options: AcquireOptions | undefined,
	slot: WaitSlot | undefined,
	scoped: boolean,
): Acquired {
	const thread = coroutine.running();
	const owner = options?.owner ?? thread;
	const [granted, refusal, node] = engine.takeOrQueue(where, key, thread, owner, options, scoped);
	if (node === undefined) return $tuple(granted, refusal);
	if (slot !== undefined) slot.node = node;
	// Loop: only the lock's own resume (after the state changed) may end the wait.
	while (node.state === WaiterState.Waiting) coroutine.yield();
	const handle = node.handle;
	if (handle === undefined) return $tuple(undefined, node.error);
	if (!handle.held) {
		// Granted, then taken back (ReleaseAll) before this thread resumed: report it, not a dead handle.
		const why = "ReleaseAll took the key back before this waiter resumed";
		return $tuple(undefined, waitCancelled(engine.name, key, why, os.clock() - node.startedAt));
	}
	// Delivered: a plain handle is a value from now on (it may be stored and released elsewhere).
	if (!scoped) engine.unbind(handle);
	return $tuple(handle, undefined);
}

/**
 * `AcquireAsync`: `acquire` as a roblox-ts Promise; `promise.cancel()` leaves the queue, or gives
 * back a grant that has not reached the waiter yet. Bad input throws now, at the call site.
 *
 * @example
 * ```ts
 * return acquireAsync(this.engine, "TradeLocks.AcquireAsync", key, options);
 * ```
 */
export function acquireAsync(
	engine: PermitEngine,
	where: string,
	key: string,
	options: AcquireOptions | undefined,
): Promise<LockHandle> {
	checkKey(where, key);
	checkAcquireOptions(where, options, key);
	const resolvedOptions: AcquireOptions = { ...options, owner: options?.owner ?? coroutine.running() };
	return new Promise<LockHandle>((resolve, reject, onCancel) => {
		const slot: WaitSlot = {};
		onCancel(() => {
			const node = slot.node;
			if (node === undefined) return;
			// Promise closes this executor thread after the hook: a waiter leaves the queue, and a
			// grant that has not reached the thread yet is given back, or the key would stay held.
			if (node.state === WaiterState.Waiting) engine.cancelWaiter(node, "the promise was cancelled");
			else if (node.state === WaiterState.Granted) (node.handle as PermitHandle | undefined)?.Release();
		});
		const [handle, err] = waitForPermit(engine, where, key, resolvedOptions, slot, false);
		if (handle === undefined) return reject(err);
		resolve(handle);
	});
}
