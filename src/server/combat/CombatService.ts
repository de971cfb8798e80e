import { ServiceHooks } from "shared/guard";
import { CombatRegistration, RegistrationRefusal } from "./CombatRegistration";

/** Why {@link CombatService.Join} gave no seat: the registration's refusals, or `Left` (the player left meanwhile). */
export type JoinRefusal = RegistrationRefusal | "Left";

/** The outcome of {@link CombatService.Join}. */
export interface JoinResult {
	readonly admitted: boolean;
	/** Seats taken after this call (admitted players only). */
	readonly position?: number;
	readonly refusal?: JoinRefusal;
}

/** Constructor dependencies of {@link CombatService}. */
export interface CombatServiceDeps {
	/** Seats in the lobby combat (default 10). */
	readonly capacity?: number;
	/** Seconds the roster save takes (default 0.05; a DataStore write in a real game). */
	readonly saveSeconds?: number;
	/** Which combat joining players are registered for (default `"lobby_combat"`). */
	readonly combatId?: string;
	readonly log?: (line: string) => void;
}

/**
 * The lobby's combat as a game service: a player whose data loaded is registered for one
 * capacity-limited combat ({@link CombatRegistration}, seed 003); the first `capacity` get a seat, the
 * others are told it is full. A leaving player's seat is freed at once — also when they leave while
 * their registration still waits for the roster lock: the seat it then gets is given back, never kept
 * by a player who is gone. At shutdown (`Destroy`, run by the registry) every seat and roster lock is
 * released.
 *
 * @example
 * ```ts
 * const combat = new CombatService({ capacity: 10 });
 * registry.Register("CombatService", combat, { dependsOn: ["PlayerDataService", "ArenaService"] });
 * combat.Join(player); // after the player's data loaded
 * ```
 */
export class CombatService implements ServiceHooks {
	/**
	 * The registration behind the service (for its roster, seat count and summaries).
	 *
	 * @example
	 * ```ts
	 * print(combat.registration.GetSeatsTaken(combat.combatId));
	 * ```
	 */
	public readonly registration: CombatRegistration;
	/**
	 * The combat players are registered for.
	 *
	 * @example
	 * ```ts
	 * combat.registration.GetRoster(combat.combatId);
	 * ```
	 */
	public readonly combatId: string;
	private readonly log: (line: string) => void;
	/** Player objects that left: a registration finishing after the leave must give its seat back. */
	private readonly departed = new WeakSet<Player>();

	/**
	 * @param deps capacity, roster save time, combat id, log sink
	 *
	 * @example
	 * ```ts
	 * new CombatService({ capacity: 4, log: () => {} });
	 * ```
	 */
	public constructor(deps: CombatServiceDeps = {}) {
		this.registration = new CombatRegistration(deps.capacity ?? 10, { saveSeconds: deps.saveSeconds });
		this.combatId = deps.combatId ?? "lobby_combat";
		this.log = deps.log ?? print;
	}

	/**
	 * Lifecycle hook (run once by the registry, after its dependencies' Init).
	 *
	 * @example
	 * ```ts
	 * registry.InitAll(); // calls combat.Init()
	 * ```
	 */
	public Init() {
		this.log(`[Combat] ${this.combatId} open: ${this.registration.capacity} seats`);
	}

	/**
	 * Registers a player for the combat. Yields (the roster lock, the roster save); refused with `Left`
	 * if the player left before it finished.
	 *
	 * @example
	 * ```ts
	 * const { admitted, refusal } = combat.Join(player);
	 * ```
	 */
	public Join(player: Player): JoinResult {
		if (this.departed.has(player)) return { admitted: false, refusal: "Left" };
		const result = this.registration.Register(this.combatId, player.UserId);
		if (result.admitted && this.departed.has(player)) {
			// Their leave ran while we queued or saved, before the seat was theirs to free.
			this.registration.Leave(this.combatId, player.UserId);
			this.log(`[Combat] ${player.Name} left before their registration finished; seat given back`);
			return { admitted: false, refusal: "Left" };
		}
		if (result.admitted) {
			this.log(`[Combat] ${player.Name} took seat ${result.position}/${this.registration.capacity}`);
		} else {
			this.log(`[Combat] ${player.Name} not registered: ${result.refusal}`);
		}
		return result;
	}

	/**
	 * A player left: frees their seat, if they had one.
	 *
	 * @example
	 * ```ts
	 * Players.PlayerRemoving.Connect((player) => combat.ReleasePlayer(player));
	 * ```
	 */
	public ReleasePlayer(player: Player) {
		this.departed.add(player);
		this.registration.Leave(this.combatId, player.UserId);
	}

	/**
	 * Prints the seat and roster-lock summaries.
	 *
	 * @example
	 * ```ts
	 * game.BindToClose(() => combat.PrintSummary());
	 * ```
	 */
	public PrintSummary() {
		this.registration.PrintSummary();
	}

	/**
	 * Lifecycle hook (the registry's DestroyAll, at shutdown): frees every seat and roster lock.
	 *
	 * @example
	 * ```ts
	 * registry.DestroyAll(); // calls combat.Destroy()
	 * ```
	 */
	public Destroy() {
		this.registration.Shutdown();
	}
}
