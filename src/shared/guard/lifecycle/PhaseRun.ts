import { RunService } from "@rbxts/services";
import type { GuardError } from "../errors/GuardError";

/**
 * One Init or Start in flight: the thread running the phase function, the callers waiting for its
 * outcome, and the watch that notices when that thread is killed.
 *
 * Why a watch: a thread stopped by `task.cancel` (or `coroutine.close`) runs no more code, so the
 * run can never report its own end. While somebody waits, a Heartbeat listener checks once a frame
 * whether the running thread is dead and, if so, calls `onAbandoned`, which settles the run. With
 * nobody waiting there is no listener; the owner calls {@link settleIfAbandoned} on its next call instead.
 *
 * @example
 * ```ts
 * const run: PhaseRun = new PhaseRun(coroutine.running(), () => run.settle(cancelledError));
 * // another thread: const outcome = run.wait(); // undefined on success, else the error to share
 * run.settle(undefined); // wakes every waiter still alive
 * ```
 */
export class PhaseRun {
	private waiters: thread[] = [];
	private watch?: RBXScriptConnection;

	/**
	 * @param thread the thread that runs the phase function
	 * @param onAbandoned called (once a frame at most, only while somebody waits) when `thread` is dead
	 *   and the run has not settled; it must settle the run
	 */
	public constructor(
		public readonly thread: thread,
		private readonly onAbandoned: () => void,
	) {}

	/**
	 * Calls `onAbandoned` if the thread running the phase can no longer run (it was cancelled
	 * mid-phase). A run that ended normally was settled before its thread could die.
	 *
	 * @example
	 * ```ts
	 * this.running?.settleIfAbandoned(); // then read the state
	 * ```
	 */
	public settleIfAbandoned() {
		if (coroutine.status(this.thread) === "dead") this.onAbandoned();
	}

	/**
	 * Suspends the calling thread until {@link settle}; returns the outcome it was given.
	 *
	 * @example
	 * ```ts
	 * const outcome = run.wait();
	 * if (outcome) throw outcome;
	 * ```
	 */
	public wait(): GuardError | undefined {
		this.waiters.push(coroutine.running());
		this.watch ??= RunService.Heartbeat.Connect(() => this.settleIfAbandoned());
		const [outcome] = coroutine.yield();
		return outcome as GuardError | undefined;
	}

	/**
	 * Ends the watch and wakes every waiter with `outcome` (undefined for success). A waiter whose own
	 * thread was cancelled while it waited is skipped: on Roblox, `task.spawn` of a dead thread with
	 * arguments throws ("cannot spawn non-suspended coroutine with arguments", goodsignal#12), which
	 * would stop this loop and leave the waiters after it blocked. (The emulator ignores such a
	 * spawn, so no spec here can see the difference.)
	 *
	 * @example
	 * ```ts
	 * run.settle(ok ? undefined : failure);
	 * ```
	 */
	public settle(outcome: GuardError | undefined) {
		this.watch?.Disconnect();
		this.watch = undefined;
		const waiters = this.waiters;
		this.waiters = [];
		for (const waiter of waiters) {
			if (coroutine.status(waiter) === "suspended") task.spawn(waiter, outcome);
		}
	}
}
