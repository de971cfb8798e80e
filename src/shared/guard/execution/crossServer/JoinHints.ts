/**
 * One joiner's wakeable sleep: a hint for its key ends the sleep early.
 */
export interface HintWaiter {
	readonly key: string;
	/** The thread sleeping in {@link JoinHints.sleep}, while it sleeps. */
	sleeping: thread | undefined;
}

interface HintMessage {
	readonly k: string;
	readonly t: number;
}

/**
 * MessagingService hints that an experience run ended, so joiners on other servers look at once
 * instead of at their next poll. Only a speed-up: a joiner polls MemoryStore with backoff whether a
 * hint comes or not (messages are best effort and may be dropped). Subscribes on the first joiner,
 * in a thread of its own (SubscribeAsync has been seen to hang); every failure is ignored.
 *
 * @example
 * ```ts
 * const hints = new JoinHints(MessagingService, "ExecutionGuard.Rewards");
 * const waiter = hints.register("daily_reward_42");
 * hints.sleep(waiter, 2); // returns after 2 s, or sooner when the holder's hint arrives
 * hints.unregister(waiter);
 * ```
 */
export class JoinHints {
	private readonly waiters = new Map<string, Set<HintWaiter>>();
	private subscribed = false;
	/** Hints received (for specs and the summary). */
	public received = 0;

	public constructor(
		private readonly messaging: MessagingService | undefined,
		private readonly topic: string,
	) {}

	/** Starts listening for `key`'s hints. */
	public register(key: string): HintWaiter {
		this.subscribe();
		const waiter: HintWaiter = { key, sleeping: undefined };
		let set = this.waiters.get(key);
		if (set === undefined) {
			set = new Set();
			this.waiters.set(key, set);
		}
		set.add(waiter);
		return waiter;
	}

	public unregister(waiter: HintWaiter) {
		const set = this.waiters.get(waiter.key);
		if (set === undefined) return;
		set.delete(waiter);
		if (set.isEmpty()) this.waiters.delete(waiter.key);
	}

	/** Yields `seconds`, or less when a hint for the waiter's key arrives meanwhile. */
	public sleep(waiter: HintWaiter, seconds: number) {
		const thread = coroutine.running();
		waiter.sleeping = thread;
		const timer = task.delay(seconds, () => {
			if (waiter.sleeping !== thread) return;
			waiter.sleeping = undefined;
			task.spawn(thread);
		});
		coroutine.yield();
		waiter.sleeping = undefined;
		pcall(task.cancel, timer);
	}

	/** Tells every server that `key`'s run with `token` ended. Never yields the caller; failures ignored. */
	public publish(key: string, token: number) {
		const messaging = this.messaging;
		if (messaging === undefined) return;
		const message: HintMessage = { k: key, t: token };
		task.spawn(() => pcall(() => messaging.PublishAsync(this.topic, message)));
	}

	private subscribe() {
		const messaging = this.messaging;
		if (this.subscribed || messaging === undefined) return;
		this.subscribed = true;
		task.spawn(() => {
			const [ok] = pcall(() => messaging.SubscribeAsync(this.topic, (packet) => this.onHint(packet)));
			if (!ok) this.subscribed = false;
		});
	}

	private onHint(packet: unknown) {
		const data = typeIs(packet, "table") ? (packet as { Data?: HintMessage }).Data : undefined;
		if (data === undefined || !typeIs(data.k, "string")) return;
		const set = this.waiters.get(data.k);
		if (set === undefined) return;
		this.received += 1;
		for (const waiter of set) {
			const thread = waiter.sleeping;
			if (thread === undefined) continue;
			waiter.sleeping = undefined;
			task.spawn(thread);
		}
	}
}
