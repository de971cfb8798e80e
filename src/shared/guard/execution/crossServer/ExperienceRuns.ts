/* eslint-disable roblox-ts/no-user-defined-lua-tuple -- RunOnce's Luau API returns (success, result) */
// Past 300 lines on purpose: one experience run's life (local dedupe while the lease is asked for,
// the remote cache, the lease, the local run, the outcome, the remote join and its take-over) reads
// and writes the same few things; the stores are behind RunOutcomes, ExperienceLeases and JoinHints.
import { GuardError } from "../../errors/GuardError";
import { HandHeldKeys, RunEngine } from "../RunEngine";
import { RunRecord } from "../RunRecord";
import { ExecutionOptions } from "../types";
import { waitForWake, wake } from "../wakeup";
import { ExperienceSettings } from "./experienceConfig";
import { ExperienceLeases, HeldLease, holderOf, LeaseHolder } from "./ExperienceLeases";
import { JoinHints } from "./JoinHints";
import { RunOutcome, RunOutcomes, unshareableError, whyNotStorable } from "./RunOutcomes";

/** First wait of a remote joiner between polls, in seconds; doubles up to `maxPollInterval`. */
const FIRST_POLL = 0.25;

/** A local caller that asked for a key while this server was still asking MemoryStore about it. */
interface PendingJoiner {
	readonly thread: thread;
	timer: thread | undefined;
}

/** This server's experience run of one key before (and while) it runs: local callers wait on it. */
interface PendingRun {
	readonly joiners: PendingJoiner[];
	done: boolean;
	ok: boolean;
	value: unknown;
}

type Outcome = [ok: boolean, value: unknown];

/** What a remote join ended with: an outcome, or "the holder is gone: try the lease yourself". */
const TAKE_OVER = "TakeOver";

/** The experience's counts, beside the guard's own (`GetAnalytics().experience`). */
export interface ExperienceCounts {
	/** Runs this server held the lease for. */
	leased: number;
	/** Calls refused with AlreadyRunning because another server held the key. */
	blockedByOtherServer: number;
	/** Calls that waited for another server's run (`join`). */
	joinedOtherServer: number;
	/** Calls answered from the experience's shared result (`shareResults`). */
	sharedHits: number;
	/** Joiners that found the holder gone (crashed, lease expired, no outcome) and ran the key themselves. */
	takeOvers: number;
	/** Calls that failed because MemoryStore could not be asked. */
	storeErrors: number;
	/** MessagingService hints received for a key this server was joining (a speed-up only). */
	hintsReceived: number;
}

/**
 * RunOnce across the whole experience, composed into an {@link ExecutionGuard} created with
 * `{ scope = "Experience" }`. The guard's in-server paths stay in front: a cached hit, a key
 * already running here (refuse or join), a key held by AcquireLock here never reach this object,
 * and never touch MemoryStore. What reaches it would run `fn`; it then:
 * 1. with `shareResults`, reads the experience's result (one GetAsync): a hit answers `(false, result)`
 *    and is kept here as this server's cached result;
 * 2. takes the key's lease (one UpdateAsync): held elsewhere → `(false, GuardError "AlreadyRunning")`
 *    naming the holder's JobId, since when and its token — or, with `join`, polls the key's outcome
 *    with backoff until the holder writes it (a MessagingService hint only cuts a wait short); a
 *    holder whose lease ended without an outcome (it crashed) is taken over: the joiner runs `fn`;
 * 3. runs `fn` here through the guard's own engine (timeouts, Cancel, local joins as usual), writes
 *    the outcome (one SetAsync), releases the lease (one UpdateAsync), publishes the hint.
 * The work runs in a thread of its own, so a caller whose thread is cancelled leaves no lease behind.
 *
 * @example
 * ```ts
 * const guard = new ExecutionGuard(false, { scope: "Experience", experience: { name: "Season" } });
 * const [ran, result] = guard.RunOnce("season_reset", resetSeason); // one server in the experience runs it
 * ```
 */
export class ExperienceRuns {
	public readonly counts: ExperienceCounts = {
		leased: 0,
		blockedByOtherServer: 0,
		joinedOtherServer: 0,
		sharedHits: 0,
		takeOvers: 0,
		storeErrors: 0,
		hintsReceived: 0,
	};
	private readonly pending = new Map<string, PendingRun>();
	private readonly outcomes: RunOutcomes;
	private readonly hints: JoinHints;
	private readonly outcomeTtl: number;

	public constructor(
		private readonly engine: RunEngine,
		private readonly handHeld: HandHeldKeys,
		private readonly settings: ExperienceSettings,
		private readonly leases: ExperienceLeases,
	) {
		this.outcomes = new RunOutcomes(settings.memoryStore.GetHashMap("ExecutionGuard.Runs"), `${settings.name}/`);
		this.hints = new JoinHints(settings.notify ? settings.messaging : undefined, `ExecutionGuard.${settings.name}`);
		// Long enough for a joiner's slowest poll to find it, however the holder's lease ended.
		this.outcomeTtl = math.max(2 * settings.leaseTtl, 30);
	}

	/** True while this server is asking MemoryStore about `key` for a caller (IsLocked counts it). */
	public isPending(key: string) {
		return this.pending.has(key);
	}

	/** A copy of the counts, for GetAnalytics. */
	public snapshot(): ExperienceCounts {
		const copy = table.clone(this.counts);
		copy.hintsReceived = this.hints.received;
		return copy;
	}

	/**
	 * RunOnce's miss path on an experience guard (the guard has checked the arguments): in-server
	 * decisions go to the engine, the rest as the class comment says. Yields when it asks MemoryStore.
	 *
	 * @example
	 * ```ts
	 * return experience.decide(key, fn, options, engine.store.map.get(key));
	 * ```
	 */
	public decide(
		key: string,
		fn: Callback,
		options: ExecutionOptions | undefined,
		record: RunRecord | undefined,
	): LuaTuple<[boolean, unknown]> {
		const engine = this.engine;
		if (record !== undefined) {
			const status = record.status;
			if (status === "Running") return engine.decide(key, fn, options, record);
			if (status === "Completed" && options?.allowRerun !== true) return engine.decide(key, fn, options, record);
		}
		if (this.handHeld.everTaken && this.handHeld.isHeld(key)) return engine.decide(key, fn, options, record);
		const pending = this.pending.get(key);
		if (pending !== undefined) return this.whilePending(key, pending, options);
		const run: PendingRun = { joiners: [], done: false, ok: false, value: undefined };
		this.pending.set(key, run);
		const caller = coroutine.running();
		task.spawn(() => this.runAcrossServers(key, fn, options, run, caller));
		if (run.done) return $tuple(run.ok, run.value);
		return waitForWake();
	}

	/**
	 * RunOnceAsync's path: the in-server cached hit, else {@link decide}.
	 *
	 * @example
	 * ```ts
	 * const [ok, value] = experience.runChecked(key, fn, options);
	 * ```
	 */
	public runChecked(key: string, fn: Callback, options: ExecutionOptions | undefined): LuaTuple<[boolean, unknown]> {
		const record = this.engine.store.map.get(key);
		if (record !== undefined && options?.allowRerun !== true) {
			const cached = record.result;
			if (cached !== undefined) return this.engine.hit(record, cached);
		}
		return this.decide(key, fn, options, record);
	}

	/** A local call while this server asks MemoryStore about the key: refused, or joins with the first caller. */
	private whilePending(key: string, pending: PendingRun, options: ExecutionOptions | undefined) {
		if (options?.join !== true) {
			this.engine.totals.refused += 1;
			if (this.engine.debugMode)
				print(`[ExecutionGuard] "${key}": blocked, already being started on this server`);
			return $tuple(false, undefined);
		}
		this.engine.totals.joined += 1;
		const joiner: PendingJoiner = { thread: coroutine.running(), timer: undefined };
		const joinTimeout = options.joinTimeout;
		if (joinTimeout !== undefined) {
			joiner.timer = task.delay(joinTimeout, () => {
				const index = pending.joiners.indexOf(joiner);
				if (index < 0) return;
				pending.joiners.remove(index);
				const err = new GuardError(
					"Timeout",
					`waited ${joinTimeout} s for "${key}" to finish; the run itself goes on`,
					{
						key,
						waited: joinTimeout,
					},
				);
				wake(joiner.thread, false, err);
			});
		}
		pending.joiners.push(joiner);
		return waitForWake();
	}

	/** The helper thread of one experience run: its outcome goes to the caller and the local joiners. */
	private runAcrossServers(
		key: string,
		fn: Callback,
		options: ExecutionOptions | undefined,
		run: PendingRun,
		caller: thread,
	) {
		const [called, outcome] = pcall(() => this.attempt(key, fn, options));
		run.done = true;
		// A throw inside (a bug, or Reentrant from the engine) reaches the caller as (false, error).
		run.ok = called ? (outcome as Outcome)[0] : false;
		run.value = called ? (outcome as Outcome)[1] : outcome;
		if (this.pending.get(key) === run) this.pending.delete(key);
		for (const joiner of run.joiners) {
			if (joiner.timer !== undefined) pcall(task.cancel, joiner.timer);
			wake(joiner.thread, run.ok, run.value);
		}
		run.joiners.clear();
		wake(caller, run.ok, run.value);
	}

	private attempt(key: string, fn: Callback, options: ExecutionOptions | undefined): Outcome {
		const useShared = this.settings.shareResults && options?.cacheResult !== false && options?.allowRerun !== true;
		if (useShared) {
			const hit = this.sharedHit(key);
			if (hit !== undefined) return hit;
		}
		const join = options?.join === true;
		const deadline = join && options?.joinTimeout !== undefined ? os.clock() + options.joinTimeout : undefined;
		while (true) {
			const [lease, err] = this.leases.tryAcquire(key);
			if (lease !== undefined) return this.runHolding(key, fn, options, lease, useShared);
			if (!GuardError.is(err, "AlreadyRunning")) {
				this.counts.storeErrors += 1;
				return [
					false,
					err ?? new GuardError("StoreFailed", `the lease of "${key}" could not be taken`, { key }),
				];
			}
			if (!join) {
				this.counts.blockedByOtherServer += 1;
				this.engine.totals.refused += 1;
				if (this.engine.debugMode) print(`[ExecutionGuard] "${key}": blocked, ${err.message}`);
				return [false, err];
			}
			const joined = this.joinOtherServer(key, holderOf(err), deadline);
			if (joined !== TAKE_OVER) return joined;
			this.counts.takeOvers += 1;
		}
	}

	/** The experience's shared result of `key`, kept here as this server's cached result too. */
	private sharedHit(key: string): Outcome | undefined {
		const outcome = this.outcomes.read(key);
		if (outcome === undefined || outcome.shared !== true || outcome.result === undefined) return undefined;
		this.counts.sharedHits += 1;
		this.engine.adoptResult(key, outcome.result);
		if (this.engine.debugMode)
			print(`[ExecutionGuard] "${key}": the experience's shared result (server ${outcome.jobId})`);
		return [false, outcome.result];
	}

	private runHolding(
		key: string,
		fn: Callback,
		options: ExecutionOptions | undefined,
		lease: HeldLease,
		useShared: boolean,
	): Outcome {
		if (useShared) {
			// Another server may have finished between our read and our lease: read again while holding it.
			const hit = this.sharedHit(key);
			if (hit !== undefined) {
				lease.Release();
				return hit;
			}
		}
		this.counts.leased += 1;
		const engine = this.engine;
		const before = engine.store.map.get(key)?.executionCount ?? 0;
		const [ok, value] = engine.decide(key, fn, options, engine.store.map.get(key));
		if ((engine.store.map.get(key)?.executionCount ?? 0) === before) {
			// Refused here after all (AcquireLock took the key meanwhile): nothing ran, nothing to tell.
			lease.Release();
			return [ok, value];
		}
		const share = useShared && this.settings.resultTtl !== undefined;
		const outcome = this.outcomes.build(ok, value, lease.token, game.JobId !== "" ? game.JobId : "local", share);
		const expiration = outcome.shared === true ? this.settings.resultTtl! : this.outcomeTtl;
		this.outcomes.write(key, outcome, expiration);
		lease.Release();
		this.hints.publish(key, lease.token);
		if (share && outcome.unshareable !== undefined) {
			return [
				false,
				unshareableError(
					key,
					outcome.unshareable,
					outcome.size,
					whyNotStorable(value) ?? "it did not encode",
					value,
				),
			];
		}
		return [ok, value];
	}

	/**
	 * Waits for the run `holder` holds on another server: polls the outcome (and, while there is none,
	 * the lease) with backoff and jitter, woken early by a hint. Returns its outcome, a Timeout at
	 * `deadline`, or {@link TAKE_OVER} when the holder's lease ended without an outcome.
	 */
	private joinOtherServer(key: string, first: LeaseHolder, deadline: number | undefined): Outcome | typeof TAKE_OVER {
		this.counts.joinedOtherServer += 1;
		this.engine.totals.joined += 1;
		if (this.engine.debugMode) print(`[ExecutionGuard] "${key}": running on server ${first.jobId}, joining it`);
		let holder = first;
		const started = os.clock();
		const waiter = this.hints.register(key);
		let delay = FIRST_POLL;
		const random = new Random();
		try {
			while (true) {
				let wait = delay * (0.5 + 0.5 * random.NextNumber());
				if (deadline !== undefined) {
					const left = deadline - os.clock();
					if (left <= 0) {
						const waited = os.clock() - started;
						return [
							false,
							new GuardError(
								"Timeout",
								`waited ${waited} s for "${key}" running on server ${holder.jobId}; that run goes on`,
								{
									key,
									waited,
									holderJobId: holder.jobId,
								},
							),
						];
					}
					wait = math.min(wait, left);
				}
				this.hints.sleep(waiter, wait);
				delay = math.min(delay * 2, this.settings.maxPollInterval);
				const outcome = this.outcomes.read(key);
				if (outcome !== undefined && outcome.token >= holder.token) return this.fromOutcome(key, outcome);
				if (deadline !== undefined && deadline - os.clock() <= 0) continue;
				const current = this.leases.peek(key);
				if (current !== undefined && current.token === holder.token) continue;
				const late = this.outcomes.read(key);
				if (late !== undefined && late.token >= holder.token) return this.fromOutcome(key, late);
				if (current !== undefined) {
					holder = current; // a newer holder took the key: wait for that run instead
					continue;
				}
				warn(
					`[ExecutionGuard] "${key}": server ${holder.jobId} held it since ${holder.since} but its lease ended ` +
						`without an outcome (it crashed or lost MemoryStore); this server takes it over`,
				);
				return TAKE_OVER;
			}
		} finally {
			this.hints.unregister(waiter);
		}
	}

	/** A joiner's answer from the holder's outcome item. */
	private fromOutcome(key: string, outcome: RunOutcome): Outcome {
		if (outcome.ok) {
			if (outcome.unshareable !== undefined) {
				return [
					false,
					unshareableError(
						key,
						outcome.unshareable,
						outcome.size,
						"see that server",
						undefined,
						outcome.jobId,
					),
				];
			}
			return [true, outcome.result];
		}
		const kind = outcome.errorKind ?? "ExecutionFailed";
		return [
			false,
			new GuardError(kind, `on server ${outcome.jobId}: ${outcome.errorMessage ?? kind}`, {
				key,
				holderJobId: outcome.jobId,
				cause: outcome.errorMessage,
			}),
		];
	}
}
