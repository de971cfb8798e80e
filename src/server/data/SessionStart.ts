import { PlayerProfile, PlayerProfileStore } from "./PlayerProfileStore";

/** How a session start ended. */
export type SessionStartOutcome =
	/** The profile was handed to `adopt`. */
	| { readonly kind: "Adopted" }
	/** StartSessionAsync returned nil (another server holds or took the key, Cancel, shutdown). */
	| { readonly kind: "NoSession" }
	/** The caller gave up first (`wanted()` false): a profile that came anyway was released unchanged. */
	| { readonly kind: "Unwanted" }
	/** StartSessionAsync raised (bad key, the key already open in this server). */
	| { readonly kind: "Failed"; readonly reason: string };

/** What a {@link SessionStart} asks of its owner. */
export interface SessionStartHandlers {
	/** Still wanted? ProfileStore's `Cancel` is `!wanted()`, checked between its steps. */
	readonly wanted: () => boolean;
	/** Takes the profile; runs in the start's thread the moment StartSessionAsync returned, never later. */
	readonly adopt: (profile: PlayerProfile) => void;
	/** Told when a profile came after the caller gave up (it is released unchanged). */
	readonly discarded?: (profile: PlayerProfile) => void;
}

/**
 * One `StartSessionAsync` in a thread of its own. ProfileStore must never have its thread killed
 * mid-call: its per-key update queue, its load-job table and the load counter its BindToClose waits
 * for would stay held by a thread that can no longer run (the next start of that key in this server
 * would hang, and shutdown would wait out its 30 s). A guard's timeout or `Cancel` kills the thread
 * that runs the guarded function, so that function only *waits* here; the start itself finishes in
 * its own thread, told to stop through ProfileStore's `Cancel`, and settles right there: a profile is
 * adopted at once (no window where it belongs to nobody), or — if nobody wants it any more — released
 * unchanged with `EndSession`. Its data is what the store held, so that release never writes
 * defaults over data.
 *
 * @example
 * ```ts
 * const start = new SessionStart(profiles, profileKeyOf(player.UserId), {
 * 	wanted: () => player.Parent !== undefined,
 * 	adopt: (profile) => (sessionProfile = profile),
 * });
 * const outcome = start.Wait(); // yields; safe to be cancelled
 * ```
 */
export class SessionStart {
	private outcome?: SessionStartOutcome;
	private waiter?: thread;

	/**
	 * Starts the session at once, in a new thread.
	 *
	 * @example
	 * ```ts
	 * new SessionStart(profiles, "Player_42", { wanted: () => true, adopt: print });
	 * ```
	 */
	public constructor(profiles: PlayerProfileStore, profileKey: string, handlers: SessionStartHandlers) {
		task.spawn(() => this.settle(this.run(profiles, profileKey, handlers)));
	}

	/**
	 * Yields until the start ended and returns how. The calling thread may be cancelled meanwhile:
	 * the start goes on, and nothing waits for the dead thread.
	 *
	 * @example
	 * ```ts
	 * if (start.Wait().kind === "NoSession") player.Kick("Data load failed: please rejoin");
	 * ```
	 */
	public Wait(): SessionStartOutcome {
		while (this.outcome === undefined) {
			this.waiter = coroutine.running();
			coroutine.yield();
		}
		return this.outcome;
	}

	private run(profiles: PlayerProfileStore, profileKey: string, handlers: SessionStartHandlers): SessionStartOutcome {
		const [ok, profile] = pcall(() => profiles.StartSessionAsync(profileKey, { Cancel: () => !handlers.wanted() }));
		if (!ok) return { kind: "Failed", reason: tostring(profile) };
		if (profile === undefined) return { kind: "NoSession" };
		if (!handlers.wanted()) {
			// Came after the caller gave up (ProfileStore.Mock ignores Cancel): holding it would keep the
			// key locked here until shutdown, and a rejoin's start would raise "already loaded".
			profile.EndSession();
			handlers.discarded?.(profile);
			return { kind: "Unwanted" };
		}
		handlers.adopt(profile);
		return { kind: "Adopted" };
	}

	private settle(outcome: SessionStartOutcome) {
		this.outcome = outcome;
		const waiter = this.waiter;
		this.waiter = undefined;
		// A waiter cancelled by a guard timeout is dead: there is nobody to wake.
		if (waiter !== undefined && coroutine.status(waiter) === "suspended") task.spawn(waiter);
	}
}
