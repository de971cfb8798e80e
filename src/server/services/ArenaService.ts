import { ServiceHooks } from "shared/guard";
import { RunOnceGuard } from "./RunOnceGuard";

/** How long each arena build step takes, in seconds (the seed guide's 2 / 1 / 0.5). */
export interface ArenaBuildSteps {
	readonly assetsSeconds: number;
	readonly spawnsSeconds: number;
	readonly lightingSeconds: number;
}

/** Constructor dependencies of {@link ArenaService}. */
export interface ArenaServiceDeps {
	readonly guard: RunOnceGuard;
	/** Where the arena folder is built (default `Workspace`). */
	readonly parent?: Instance;
	readonly steps?: ArenaBuildSteps;
	/** Spawn points to create (default 4). */
	readonly spawnCount?: number;
	readonly log?: (line: string) => void;
}

/** What `InitializeArena` returns on its first (building) call and caches for later ones. */
export interface ArenaInfo {
	readonly initialized: true;
	readonly spawns: number;
}

/**
 * Builds the arena once per server — the seed guide's Example 2. Anything may ask for the arena (the
 * boot, every joining player); all of them go through `guard.RunOnce("arena_init")`, so the build runs
 * once, callers during the build are blocked `(false, nil)` and callers after it get the cached info.
 *
 * @example
 * ```ts
 * const arena = new ArenaService({ guard });
 * const [built, info] = arena.InitializeArena(); // (true, { initialized: true, spawns: 4 })
 * arena.InitializeArena();                       // (false, same info): nothing built twice
 * ```
 */
export class ArenaService implements ServiceHooks {
	private readonly guard: RunOnceGuard;
	private readonly parent?: Instance;
	private readonly steps: ArenaBuildSteps;
	private readonly spawnCount: number;
	private readonly log: (line: string) => void;
	/**
	 * How many times the build body ran (1 after any number of triggers, if the guard works).
	 *
	 * @example
	 * ```ts
	 * print(`arena built ${arena.builds} time(s)`);
	 * ```
	 */
	public builds = 0;

	/**
	 * @param deps the guard, where to build, step durations, spawn count, log sink
	 *
	 * @example
	 * ```ts
	 * new ArenaService({ guard, parent: new Instance("Folder") });
	 * ```
	 */
	public constructor(deps: ArenaServiceDeps) {
		this.guard = deps.guard;
		this.parent = deps.parent;
		this.steps = deps.steps ?? { assetsSeconds: 2, spawnsSeconds: 1, lightingSeconds: 0.5 };
		this.spawnCount = deps.spawnCount ?? 4;
		this.log = deps.log ?? print;
	}

	/**
	 * Lifecycle hook (run once by the registry): begins building in the background so the boot does
	 * not wait 3.5 s for it; players joining meanwhile trigger the same build and are refused.
	 *
	 * @example
	 * ```ts
	 * registry.Register("ArenaService", arena); // registry.StartAll() calls arena.Start()
	 * ```
	 */
	public Start() {
		task.spawn(() => this.InitializeArena());
	}

	/**
	 * Builds the arena if nobody has; see the class doc for what each caller gets.
	 *
	 * @example
	 * ```ts
	 * Players.PlayerAdded.Connect(() => arena.InitializeArena());
	 * ```
	 */
	// eslint-disable-next-line roblox-ts/no-user-defined-lua-tuple -- two return values, as the seed guide's `return guard:RunOnce(...)`
	public InitializeArena(): LuaTuple<[boolean, unknown]> {
		const [built, info] = this.guard.RunOnce("arena_init", () => this.build(), { timeout: 30, allowRerun: false });
		if (!built)
			this.log(
				`[Arena] arena_init trigger ignored: ${info === undefined ? "build in progress" : "already built"}`,
			);
		// eslint-disable-next-line roblox-ts/no-user-defined-lua-tuple
		return $tuple(built, info);
	}

	/**
	 * True once the arena was built.
	 *
	 * @example
	 * ```ts
	 * if (arena.IsReady()) teleportToArena(player);
	 * ```
	 */
	public IsReady(): boolean {
		return this.findArena() !== undefined;
	}

	private findArena() {
		const parent = this.parent ?? game.GetService("Workspace");
		return parent.FindFirstChild("Arena");
	}

	private build(): ArenaInfo {
		this.builds += 1;
		this.log("[Arena] initializing arena: loading assets...");
		const arena = new Instance("Folder");
		arena.Name = "Arena";
		task.wait(this.steps.assetsSeconds);
		this.log("[Arena] setting up spawns...");
		const spawns = new Instance("Folder");
		spawns.Name = "Spawns";
		spawns.Parent = arena;
		for (let index = 1; index <= this.spawnCount; index++) {
			const spawnPoint = new Instance("IntValue");
			spawnPoint.Name = `Spawn${index}`;
			spawnPoint.Value = index;
			spawnPoint.Parent = spawns;
		}
		task.wait(this.steps.spawnsSeconds);
		this.log("[Arena] configuring lighting...");
		task.wait(this.steps.lightingSeconds);
		arena.Parent = this.parent ?? game.GetService("Workspace");
		this.log(`[Arena] arena ready (${this.spawnCount} spawns)`);
		return { initialized: true, spawns: this.spawnCount };
	}
}
