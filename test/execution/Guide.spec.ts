/// <reference types="@rbxts/testez/globals" />
import { ExecutionGuard, GuardError } from "shared/guard";

/** The seed guide's examples, as written there, with virtual time. */
export = () => {
	describe("Guide: Quick Start", () => {
		it("the first RunOnce runs and returns (true, result) after its 2 s wait", () => {
			const guard = new ExecutionGuard(true);
			const started = os.clock();
			const [ok, result] = guard.RunOnce("loadData", () => {
				task.wait(2);
				return { data: "loaded" };
			});
			expect(ok).to.equal(true);
			expect((result as { data: string }).data).to.equal("loaded");
			expect(os.clock() - started >= 2).to.equal(true);
		});

		it("a second call after completion returns (false, cachedResult) without running", () => {
			const guard = new ExecutionGuard(true);
			const first = { data: "loaded" };
			guard.RunOnce("loadData", () => {
				task.wait(2);
				return first;
			});
			let ran = false;
			const [ok2, result2] = guard.RunOnce("loadData", () => {
				ran = true;
			});
			expect(ok2).to.equal(false);
			expect(result2).to.equal(first);
			expect(ran).to.equal(false);
			expect(guard.GetStatus("loadData")).to.equal("Completed");
		});
	});

	describe("Guide 1: RunOnce for duplicate API calls", () => {
		it("loadPlayerData(123) three times calls the API once and returns the same data each time", () => {
			const guard = new ExecutionGuard();
			let apiCalls = 0;
			const getAsync = (url: string) => {
				apiCalls += 1;
				task.wait(0.5);
				return `payload of ${url}`;
			};
			const loadPlayerData = (userId: number) => {
				const [, data] = guard.RunOnce(`player_data_${userId}`, () => getAsync(`/api/player/${userId}`), {
					cacheResult: true,
				});
				return data;
			};
			const data1 = loadPlayerData(123);
			const data2 = loadPlayerData(123);
			const data3 = loadPlayerData(123);
			expect(apiCalls).to.equal(1);
			expect(data1).to.equal("payload of /api/player/123");
			expect(data2).to.equal(data1);
			expect(data3).to.equal(data1);
		});
	});

	describe("Guide 2: in-progress lock", () => {
		it("two threads processing order 123 at once: the first runs, the second is blocked with (false, nil)", () => {
			const guard = new ExecutionGuard();
			let processed = 0;
			const processOrder = (orderId: number) =>
				guard.RunOnce(`order_${orderId}`, () => {
					processed += 1;
					task.wait(5);
					return { status: "completed" };
				});
			const outcomes = new Array<[boolean, unknown]>();
			task.spawn(() => {
				const [ok, result] = processOrder(123);
				outcomes.push([ok, result]);
			});
			let secondOk: boolean | undefined;
			let secondResult: unknown = "unset";
			task.spawn(() => {
				[secondOk, secondResult] = processOrder(123);
			});
			// The blocked caller returns at once, while the first is still processing.
			expect(secondOk).to.equal(false);
			expect(secondResult).to.equal(undefined);
			expect(guard.IsLocked("order_123")).to.equal(true);
			task.wait(5.1);
			expect(processed).to.equal(1);
			expect(outcomes.size()).to.equal(1);
			expect(outcomes[0][0]).to.equal(true);
			expect((outcomes[0][1] as { status: string }).status).to.equal("completed");
		});
	});

	describe("Guide 3: result reuse", () => {
		it("GetResult returns the computed sum 500000500000 after the first call", () => {
			const guard = new ExecutionGuard();
			const [ok, result] = guard.RunOnce(
				"calculate",
				() => {
					let sum = 0;
					for (let i = 1; i <= 1000000; i++) sum += i;
					return sum;
				},
				{ cacheResult: true },
			);
			expect(ok).to.equal(true);
			expect(result).to.equal(500000500000);
			expect(guard.GetResult("calculate")).to.equal(500000500000);
		});
	});

	describe("Guide 4: timeout", () => {
		it("a fetch stuck in a loop times out after 10 s, calls onTimeout once, releases the lock and can retry", () => {
			const guard = new ExecutionGuard();
			let timeouts = 0;
			const started = os.clock();
			const [ok, result] = guard.RunOnce(
				"fetch",
				() => {
					while (true) task.wait(1);
				},
				{ timeout: 10, onTimeout: () => (timeouts += 1) },
			);
			const elapsed = os.clock() - started;
			expect(ok).to.equal(false);
			expect(GuardError.is(result, "Timeout")).to.equal(true);
			expect(elapsed >= 10 && elapsed < 10 + 1 / 30).to.equal(true);
			expect(guard.GetStatus("fetch")).to.equal("TimedOut");
			expect(guard.IsLocked("fetch")).to.equal(false);
			task.wait(30);
			expect(timeouts).to.equal(1);
			const [retried, value] = guard.RunOnce("fetch", () => "fetched");
			expect(retried).to.equal(true);
			expect(value).to.equal("fetched");
		});
	});

	describe("Guide API reference", () => {
		it("AcquireLock(key, 10) takes the lock, IsLocked sees it, ReleaseLock frees it", () => {
			const guard = new ExecutionGuard();
			expect(guard.AcquireLock("myKey", 10)).to.equal(true);
			expect(guard.IsLocked("myKey")).to.equal(true);
			guard.ReleaseLock("myKey");
			expect(guard.IsLocked("myKey")).to.equal(false);
		});

		it("GetResult, HasResult and ClearResult manage the cached result", () => {
			const guard = new ExecutionGuard();
			expect(guard.HasResult("myKey")).to.equal(false);
			guard.RunOnce("myKey", () => 42);
			expect(guard.HasResult("myKey")).to.equal(true);
			expect(guard.GetResult("myKey")).to.equal(42);
			guard.ClearResult("myKey");
			expect(guard.HasResult("myKey")).to.equal(false);
			expect(guard.GetResult("myKey")).to.equal(undefined);
			const [ranAgain, value] = guard.RunOnce("myKey", () => 43);
			expect(ranAgain).to.equal(true);
			expect(value).to.equal(43);
		});

		it("GetStatus goes Idle -> Running -> Completed", () => {
			const guard = new ExecutionGuard();
			expect(guard.GetStatus("myKey")).to.equal("Idle");
			task.spawn(() => guard.RunOnce("myKey", () => task.wait(1)));
			expect(guard.GetStatus("myKey")).to.equal("Running");
			task.wait(1.1);
			expect(guard.GetStatus("myKey")).to.equal("Completed");
		});
	});

	describe("Guide real-world examples", () => {
		it("Example 1: PlayerDataService:LoadData loads once with the default profile when the store has none", () => {
			const guard = new ExecutionGuard();
			let reads = 0;
			const dataStore = {
				GetAsync: (_userId: number): unknown => {
					reads += 1;
					task.wait(1);
					return undefined;
				},
			};
			const kicked = new Array<string>();
			const loadData = (player: { UserId: number; Name: string }) => {
				const [, data] = guard.RunOnce(
					`player_data_${player.UserId}`,
					() => {
						const [ok, result] = pcall(() => dataStore.GetAsync(player.UserId));
						if (!ok) error("Failed to load data");
						return result ?? { coins: 0, level: 1 };
					},
					{ timeout: 10, cacheResult: true, onTimeout: () => kicked.push(player.Name) },
				);
				return data as { coins: number; level: number } | undefined;
			};
			const player = { UserId: 7, Name: "Builderman" };
			const data = loadData(player);
			expect(data!.coins).to.equal(0);
			expect(data!.level).to.equal(1);
			expect(loadData(player)).to.equal(data);
			expect(reads).to.equal(1);
			expect(kicked.size()).to.equal(0);
		});

		it("Example 1: a DataStore read slower than 10 s times out and the onTimeout kick runs once", () => {
			const guard = new ExecutionGuard();
			const kicked = new Array<string>();
			const [ok, data] = guard.RunOnce(
				"player_data_8",
				() => {
					task.wait(15);
					return { coins: 5 };
				},
				{ timeout: 10, cacheResult: true, onTimeout: () => kicked.push("Slowpoke") },
			);
			expect(ok).to.equal(false);
			expect(GuardError.is(data, "Timeout")).to.equal(true);
			task.wait(10);
			expect(kicked.size()).to.equal(1);
			expect(guard.HasResult("player_data_8")).to.equal(false);
		});

		it("Example 2: InitializeArena runs once in 3.5 s; a concurrent and a later call do not run it again", () => {
			const guard = new ExecutionGuard();
			let inits = 0;
			const initializeArena = () =>
				guard.RunOnce(
					"arena_init",
					() => {
						inits += 1;
						task.wait(2);
						task.wait(1);
						task.wait(0.5);
						return { initialized: true };
					},
					{ timeout: 30, allowRerun: false },
				);
			let concurrentOk: boolean | undefined;
			task.spawn(() => {
				task.wait(1);
				[concurrentOk] = initializeArena();
			});
			const started = os.clock();
			const [ok, arena] = initializeArena();
			expect(ok).to.equal(true);
			expect((arena as { initialized: boolean }).initialized).to.equal(true);
			expect(os.clock() - started >= 3.5).to.equal(true);
			expect(concurrentOk).to.equal(false);
			const [again, cached] = initializeArena();
			expect(again).to.equal(false);
			expect(cached).to.equal(arena);
			expect(inits).to.equal(1);
		});

		it("Example 3: ClaimDailyReward gives 100 coins once per day; the second claim returns the first claim", () => {
			const guard = new ExecutionGuard();
			const coins = { Value: 0 };
			const today = os.date("%Y-%m-%d");
			const claim = (userId: number) =>
				guard.RunOnce(
					`daily_reward_${userId}_${today}`,
					() => {
						coins.Value += 100;
						return { claimed: true, amount: 100 };
					},
					{ allowRerun: false, cacheResult: true },
				);
			const [first, reward] = claim(42);
			const [second, again] = claim(42);
			expect(first).to.equal(true);
			expect(second).to.equal(false);
			expect(again).to.equal(reward);
			expect((reward as { amount: number }).amount).to.equal(100);
			expect(coins.Value).to.equal(100);
		});
	});

	describe("Guide debugging", () => {
		it("GetAllRecords lists status and executionCount; GetAnalytics counts total and blocked", () => {
			const guard = new ExecutionGuard();
			guard.RunOnce("a", () => 1);
			guard.RunOnce("b", () => error("nope"));
			task.spawn(() => guard.RunOnce("c", () => task.wait(1)));
			guard.RunOnce("c", () => 3);
			const records = guard.GetAllRecords();
			expect(records.get("a")!.status).to.equal("Completed");
			expect(records.get("a")!.executionCount).to.equal(1);
			expect(records.get("b")!.status).to.equal("Failed");
			expect(records.get("c")!.status).to.equal("Running");
			const analytics = guard.GetAnalytics();
			expect(analytics.global.totalExecutions).to.equal(3);
			expect(analytics.global.blockedExecutions).to.equal(1);
			expect(analytics.global.failed).to.equal(1);
			ExecutionGuard.printSummary(guard);
			task.wait(1.1);
		});
	});
};
