// Types for the emulator's universe of servers (emulator/README.md, "Universe specs"). The `Universe`
// global exists in spec runs only (`npm test`), never in a real Roblox server or in `npm start`.

/** What `server.run` / `server.spawn` bodies get: the globals that server's scripts see. */
interface EmulatorServerGlobals {
	readonly game: DataModel;
	readonly workspace: Workspace;
	readonly require: (module: ModuleScript) => unknown;
	readonly os: typeof os;
	readonly task: typeof task;
	readonly tick: () => number;
	readonly time: () => number;
	readonly print: (...args: unknown[]) => void;
	readonly _G: Record<string, unknown>;
}

interface EmulatorServerOptions {
	/** the label its output lines carry (default "S<n>") */
	name?: string;
	jobId?: string;
	/** seconds its os.time()/tick()/DateTime.now() are off; the stores' clock is not */
	osTimeSkew?: number;
	/** start the place's Server Scripts (default false) */
	startScripts?: boolean;
	/** BindToClose limit in seconds (default 30) */
	closeTimeout?: number;
	maxPlayers?: number;
}

interface EmulatorServer {
	readonly name: string;
	readonly jobId: string;
	readonly game: DataModel;
	readonly osTimeSkew: number;
	/** Runs body inside this server (its thread, its globals) and waits for it; raises body's error. */
	run<R>(body: (globals: EmulatorServerGlobals) => R): R;
	/** Starts body inside this server without waiting. */
	spawn(body: (globals: EmulatorServerGlobals) => void): thread;
	/** Requires this server's own copy of a ModuleScript by dot path ("ReplicatedStorage.Shared.x"). */
	require(path: string): unknown;
	/** Stops every thread of the server at once: no PlayerRemoving, no BindToClose. */
	crash(): void;
	crashAfter(seconds: number): thread;
	/** PlayerRemoving, then BindToClose (≤ 30 s), then the server stops; yields until it has. */
	shutdown(reasonName?: string): { callbacks: number; timedOut: boolean };
	isRunning(): boolean;
	state(): "running" | "closing" | "crashed" | "stopped";
	playerCount(): number;
}

interface EmulatorFaultRule {
	service: "DataStore" | "MemoryStore" | "Messaging";
	kind?: string;
	errorRate?: number;
	errorText?: string;
	latency?: { min: number; max: number };
	landedErrorRate?: number;
	dropRate?: number;
	delay?: { min: number; max: number };
}

interface EmulatorCloud {
	readonly random: Random;
	readonly faults: { configure(rule: EmulatorFaultRule): void; clear(service?: string): void };
	/** the stores' Unix clock (never skewed) */
	clock(): number;
	elapsed(): number;
	totalUsers(): number;
	backend<T>(name: string, create: (cloud: EmulatorCloud) => T): T;
}

interface EmulatorUniverse {
	readonly cloud: EmulatorCloud;
	hopDelay: number;
	startServer(options?: EmulatorServerOptions): EmulatorServer;
	servers(): EmulatorServer[];
	serverOf(userId: number): EmulatorServer | undefined;
	join(userId: number, server?: EmulatorServer, name?: string): Player;
	leave(userId: number): void;
	hop(userId: number, server: EmulatorServer): Player;
	rejoin(userId: number): Player;
	advance(seconds: number): number;
	close(): void;
}

declare const Universe: { readonly new: (options?: { seed?: number; hopDelay?: number }) => EmulatorUniverse };
