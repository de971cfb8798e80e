import { KeyedLock, LockHandle, Semaphore } from "shared/guard";

/** Why a registration was refused (the result's `refusal` is `undefined` when the player got a seat). */
export type RegistrationRefusal = "Full" | "AlreadyRegistered" | "Busy";

/** The outcome of {@link CombatRegistration.Register}. */
export interface RegistrationResult {
	readonly admitted: boolean;
	/** Seats taken after this call (admitted players only). */
	readonly position?: number;
	readonly refusal?: RegistrationRefusal;
}

/** Options of {@link CombatRegistration}. */
export interface CombatRegistrationOptions {
	/** Seconds the roster save takes (a DataStore write in a real game; it yields). */
	readonly saveSeconds?: number;
	/** Longest wait for the combat's roster lock before refusing with `Busy`. */
	readonly lockTimeout?: number;
}

/**
 * Seed 003's capacity-limited combat registration, inside one server: of M players who try to join
 * at the same moment, exactly `capacity` get a seat and the rest are told "Combat full" — never
 * `capacity + 1`, even though saving the roster yields.
 *
 * Two guards, each for what it is good at:
 * - a {@link Semaphore} with `capacity` permits per combat: a seat *is* a permit, held until the
 *   player leaves, so the count cannot be exceeded whatever the timing;
 * - a {@link KeyedLock} per combat around "check the roster, take a seat, save": the check-then-act
 *   that overbooked the seed's game runs one player at a time, so one player cannot take two seats.
 *
 * @example
 * ```ts
 * const registration = new CombatRegistration(10);
 * const result = registration.Register("nightstorm_1", player.UserId);
 * if (!result.admitted) notify(player, result.refusal === "Full" ? "Combat full" : "Try again");
 * ```
 */
export class CombatRegistration {
	private readonly seats: Semaphore;
	private readonly rosterLocks = new KeyedLock({ name: "CombatRoster" });
	private readonly rosters = new Map<string, Map<number, LockHandle>>();
	private readonly saveSeconds: number;
	private readonly lockTimeout: number;

	/**
	 * @param capacity seats per combat
	 * @param options roster save time and lock wait
	 *
	 * @example
	 * ```ts
	 * const registration = new CombatRegistration(10, { saveSeconds: 0.1 });
	 * ```
	 */
	public constructor(
		public readonly capacity: number,
		options: CombatRegistrationOptions = {},
	) {
		this.seats = new Semaphore(capacity, { name: "CombatSeats" });
		this.saveSeconds = options.saveSeconds ?? 0.05;
		this.lockTimeout = options.lockTimeout ?? 30;
	}

	/**
	 * Gives `userId` a seat in `combatId` if one is free. Yields (the roster lock, the roster save). A
	 * full combat is refused at once without queueing for the roster lock; a wait for the lock longer
	 * than `lockTimeout` is refused with `Busy`.
	 *
	 * @example
	 * ```ts
	 * const { admitted, refusal } = registration.Register("nightstorm_1", 42);
	 * ```
	 */
	public Register(combatId: string, userId: number): RegistrationResult {
		if (this.seats.IsLocked(combatId)) return { admitted: false, refusal: "Full" };
		const outcome = this.rosterLocks.RunWithLock(
			combatId,
			(): RegistrationResult => {
				const roster = this.rosters.get(combatId) ?? new Map<number, LockHandle>();
				this.rosters.set(combatId, roster);
				if (roster.has(userId)) return { admitted: false, refusal: "AlreadyRegistered" };
				const [seat] = this.seats.TryAcquire(combatId, { owner: userId });
				if (seat === undefined) return { admitted: false, refusal: "Full" };
				roster.set(userId, seat);
				// The save yields; the roster lock keeps other joiners of this combat out meanwhile.
				task.wait(this.saveSeconds);
				return { admitted: true, position: roster.size() };
			},
			{ timeout: this.lockTimeout },
		);
		if (!outcome.acquired) return { admitted: false, refusal: "Busy" };
		if (outcome.error !== undefined) throw outcome.error;
		return outcome.result!;
	}

	/**
	 * Frees `userId`'s seat (the next joiner can take it). Returns false if they had none.
	 *
	 * @example
	 * ```ts
	 * Players.PlayerRemoving.Connect((player) => registration.Leave("nightstorm_1", player.UserId));
	 * ```
	 */
	public Leave(combatId: string, userId: number): boolean {
		const roster = this.rosters.get(combatId);
		const seat = roster?.get(userId);
		if (roster === undefined || seat === undefined) return false;
		roster.delete(userId);
		return seat.Release();
	}

	/**
	 * The user ids holding a seat in `combatId`.
	 *
	 * @example
	 * ```ts
	 * print(registration.GetRoster("nightstorm_1").size(), "players registered");
	 * ```
	 */
	public GetRoster(combatId: string): Array<number> {
		const ids = new Array<number>();
		this.rosters.get(combatId)?.forEach((_, userId) => ids.push(userId));
		return ids;
	}

	/**
	 * Seats taken right now according to the semaphore (the ground truth of the capacity rule).
	 *
	 * @example
	 * ```ts
	 * assert(registration.GetSeatsTaken("nightstorm_1") <= registration.capacity);
	 * ```
	 */
	public GetSeatsTaken(combatId: string): number {
		return this.seats.GetInfo(combatId).held;
	}

	/**
	 * Frees every seat and roster lock (server shutdown; in the game, CombatService's `Destroy` calls it).
	 *
	 * @example
	 * ```ts
	 * game.BindToClose(() => registration.Shutdown());
	 * ```
	 */
	public Shutdown() {
		this.rosters.clear();
		this.rosterLocks.ReleaseAll();
		this.seats.ReleaseAll();
	}

	/**
	 * Prints the seat and roster-lock summaries to the output.
	 *
	 * @example
	 * ```ts
	 * registration.PrintSummary();
	 * ```
	 */
	public PrintSummary() {
		this.seats.PrintSummary();
		this.rosterLocks.PrintSummary();
	}
}
