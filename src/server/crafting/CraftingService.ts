import { ExecutionQueue, ExecutionQueueConfig, ExecutionTicket, GuardError, ServiceHooks } from "shared/guard";

/** What a station's players receive through the `CraftingStatus` RemoteEvent after every change. */
export interface CraftingBroadcast {
	readonly stationId: string;
	/** `Queued`, `Started`, `Completed`, `Failed`, `TimedOut` or `Cancelled`. */
	readonly event: string;
	readonly executionId: string;
	readonly displayName: string;
	readonly status: ReturnType<ExecutionQueue["GetExecutionStatus"]>;
}

/** The outcome of {@link CraftingService.Craft}: a ticket, or why there is none. */
export interface CraftResult {
	readonly ticket?: ExecutionTicket;
	readonly refusal?: GuardError;
}

/** Constructor dependencies of {@link CraftingService}. */
export interface CraftingServiceDeps {
	/** The stations' queue limits (default: the seed's 3 running / 10 queued / 30 s). */
	readonly queue?: ExecutionQueueConfig;
	/** Where the `CraftingStatus` RemoteEvent goes (default ReplicatedStorage). */
	readonly remoteParent?: Instance;
	/** Sends one broadcast to one player (default: the RemoteEvent's FireClient). */
	readonly send?: (player: Player, message: CraftingBroadcast) => void;
	readonly log?: (line: string) => void;
}

/**
 * Crafting stations as a game service: each station is a room of an {@link ExecutionQueue}, so at
 * most 3 players craft at one station at once, 10 wait, a player crafts one thing at a time in the
 * whole server, a craft that hangs is stopped at its timeout, and every change is broadcast to the
 * players at that station through the `CraftingStatus` RemoteEvent. A leaving player's queued craft
 * is cancelled; one already running finishes (it may have taken materials already).
 *
 * @example
 * ```ts
 * const crafting = new CraftingService();
 * registry.Register("CraftingService", crafting);
 * const { ticket, refusal } = crafting.Craft(player, "forge_1", "Iron Sword", () => { task.wait(2); return "Iron Sword"; });
 * ```
 */
export class CraftingService implements ServiceHooks {
	/**
	 * The queue behind the stations (statistics, history, summary).
	 *
	 * @example
	 * ```ts
	 * crafting.queue.GetStatistics("forge_1");
	 * ```
	 */
	public readonly queue: ExecutionQueue;
	private readonly log: (line: string) => void;
	private readonly send?: (player: Player, message: CraftingBroadcast) => void;
	private readonly remoteParent?: Instance;
	private remote?: RemoteEvent;
	/** Who stands at which station: the players a station's broadcasts go to. */
	private readonly stationOf = new Map<Player, string>();

	/**
	 * @param deps queue limits, remote parent, broadcast sink, log sink
	 *
	 * @example
	 * ```ts
	 * new CraftingService({ queue: { maxConcurrentExecutions: 1 }, log: () => {} });
	 * ```
	 */
	public constructor(deps: CraftingServiceDeps = {}) {
		this.queue = new ExecutionQueue({ name: "Crafting", ...deps.queue });
		this.log = deps.log ?? print;
		this.send = deps.send;
		this.remoteParent = deps.remoteParent;
	}

	/**
	 * Lifecycle hook: creates the RemoteEvent and broadcasts every queue event to its station.
	 *
	 * @example
	 * ```ts
	 * registry.InitAll(); // calls crafting.Init()
	 * ```
	 */
	public Init() {
		const remote = new Instance("RemoteEvent");
		remote.Name = "CraftingStatus";
		remote.Parent = this.remoteParent ?? game.GetService("ReplicatedStorage");
		this.remote = remote;
		const queue = this.queue;
		queue.ExecutionQueued.Connect((ticket) => this.broadcast(ticket, "Queued"));
		queue.ExecutionStarted.Connect((ticket) => this.broadcast(ticket, "Started"));
		queue.ExecutionCompleted.Connect((ticket, result, seconds) => {
			this.log(
				`[Crafting] ${ticket.displayName} crafted ${tostring(result)} in ${string.format("%.1f", seconds)} s`,
			);
			this.broadcast(ticket, "Completed");
		});
		queue.ExecutionFailed.Connect((ticket, err) => {
			this.log(`[Crafting] ${ticket.displayName}'s craft failed: ${err.message}`);
			this.broadcast(ticket, "Failed");
		});
		queue.ExecutionTimedOut.Connect((ticket) => {
			this.log(
				`[Crafting] ${ticket.displayName}'s craft at ${ticket.roomId} hung and was stopped at the timeout`,
			);
			this.broadcast(ticket, "TimedOut");
		});
		queue.ExecutionCancelled.Connect((ticket, reason) => {
			this.log(`[Crafting] ${ticket.displayName}'s craft ${ticket.id} cancelled (${reason})`);
			this.broadcast(ticket, "Cancelled");
		});
	}

	/**
	 * Queues `craft` for `player` at `stationId` (the player now stands there and receives its
	 * broadcasts). Refusals: `QueueFull`, `UserBusy` (already crafting), `InvalidArgument`.
	 *
	 * @example
	 * ```ts
	 * const { ticket, refusal } = crafting.Craft(player, "forge_1", "Iron Sword", () => forgeSword(player));
	 * ```
	 */
	public Craft(player: Player, stationId: string, recipe: string, craft: () => unknown): CraftResult {
		this.stationOf.set(player, stationId);
		const user = { userId: player.UserId, displayName: player.Name };
		const [ticket, refusal] = this.queue.RequestExecution(stationId, user, craft);
		if (ticket) {
			const where = ticket.position === 0 ? "started at once" : `queued at position ${ticket.position}`;
			this.log(`[Crafting] ${player.Name} asked for ${recipe} at ${stationId}: ${ticket.id} ${where}`);
		} else {
			this.log(`[Crafting] ${player.Name} asked for ${recipe} at ${stationId}: refused, ${refusal!.kind}`);
		}
		return { ticket, refusal };
	}

	/**
	 * The player cancels their own queued craft (a running one cannot be cancelled).
	 *
	 * @example
	 * ```ts
	 * cancelRemote.OnServerEvent.Connect((player, id) => crafting.Cancel(player, id as string));
	 * ```
	 */
	public Cancel(player: Player, executionId: string): boolean {
		return this.queue.CancelExecution(player.UserId, executionId);
	}

	/**
	 * A player left: their queued craft is cancelled, a running one finishes; no more broadcasts to them.
	 *
	 * @example
	 * ```ts
	 * Players.PlayerRemoving.Connect((player) => crafting.ReleasePlayer(player));
	 * ```
	 */
	public ReleasePlayer(player: Player) {
		this.stationOf.delete(player);
		this.queue.ReleaseUser(player.UserId);
	}

	/**
	 * Prints each station's statistics and the queue's summary.
	 *
	 * @example
	 * ```ts
	 * crafting.PrintSummary();
	 * ```
	 */
	public PrintSummary() {
		ExecutionQueue.printSummary(this.queue);
	}

	/**
	 * Lifecycle hook (shutdown): cancels queued crafts, stops running ones, removes the RemoteEvent.
	 *
	 * @example
	 * ```ts
	 * registry.DestroyAll(); // calls crafting.Destroy()
	 * ```
	 */
	public Destroy() {
		this.queue.Destroy();
		this.remote?.Destroy();
		this.stationOf.clear();
	}

	private broadcast(ticket: ExecutionTicket, event: string) {
		const message: CraftingBroadcast = {
			stationId: ticket.roomId,
			event,
			executionId: ticket.id,
			displayName: ticket.displayName,
			status: this.queue.GetExecutionStatus(ticket.roomId),
		};
		for (const [player, stationId] of this.stationOf) {
			if (stationId !== ticket.roomId) continue;
			if (this.send) this.send(player, message);
			else this.remote?.FireClient(player, message);
		}
	}
}
