/// <reference types="@rbxts/testez/globals" />
import { ExecutionGuard } from "shared/guard";
import { MemoryProfileStore } from "server/data/MemoryProfileStore";
import { newPlayerData } from "server/data/PlayerData";
import { PlayerProfile, PlayerProfileStore } from "server/data/PlayerProfileStore";
import { SESSION_LOG_PREFIX } from "server/data/sessionLog";
import { buildDemoReport } from "server/demo/DemoReport";
import { sessionFactsFromLines } from "server/demo/sessionSource";
import { PlayerDataService } from "server/services/PlayerDataService";
import { asPlayer, fakePlayer } from "../server/fakePlayers";

const USER = 8801;

/**
 * A store whose session start, once broken, comes back with defaults although the key holds data —
 * the bug the demo's invariant exists for (a load that "succeeds" with a fresh template); the game
 * then saves those defaults over the player's data.
 */
class DefaultsOnStartStore implements PlayerProfileStore {
	public broken = false;
	public constructor(public readonly inner: MemoryProfileStore) {}
	public StartSessionAsync(profileKey: string, params?: { Cancel?: () => boolean }): PlayerProfile | undefined {
		if (this.broken) this.inner.Seed(USER, newPlayerData());
		return this.inner.StartSessionAsync(profileKey, params);
	}
}

/** Three sessions of one player on the real PlayerDataService, its `[PlayerSessions]` lines recorded in order. */
function playThreeSessions(breakThird: boolean) {
	const inner = new MemoryProfileStore();
	inner.Seed(USER, { coins: 500, level: 7 });
	const store = new DefaultsOnStartStore(inner);
	const lines = new Array<{ t: number; server: string; text: string }>();
	const log = (line: string) => {
		if (line.sub(1, SESSION_LOG_PREFIX.size()) === SESSION_LOG_PREFIX)
			lines.push({ t: lines.size() + 1, server: "S1", text: line });
	};
	let loaded = 0; // (expect is only defined inside the spec function, not in this helper)
	for (let session = 1; session <= 3; session++) {
		store.broken = breakThird && session === 3;
		const service = new PlayerDataService({ profiles: store, guard: new ExecutionGuard(false), log });
		const player = asPlayer(fakePlayer(USER));
		if (service.LoadData(player) !== undefined) loaded += 1;
		service.AddCoins(player, 10);
		service.ReleasePlayer(player);
	}
	const stored = new Map([[USER, inner.Peek(USER)?.sessions ?? 0]]);
	const report = buildDemoReport(
		{ duration: 10, epoch: 0, servers: [], clientEvents: [], lines },
		{ defaultsSavedOverData: (run) => ({ facts: sessionFactsFromLines(run.lines ?? []), stored }) },
	);
	return { report, loaded };
}

export = () => {
	describe("the defaults-over-data invariant, end to end on PlayerDataService", () => {
		it("holds when each session loads what the last one saved", () => {
			const { report, loaded } = playThreeSessions(false);
			expect(loaded).to.equal(3);
			expect(report.values.defaultsSavedOverData).to.equal(0);
			expect(report.values.sessionCountersChecked).to.equal(1);
		});

		it("breaks when a session's start came back with defaults and the game saved them over the data", () => {
			const { report, loaded } = playThreeSessions(true);
			expect(loaded).to.equal(3);
			// the third start loaded 0 after a save of 2, and the stored counter (1) is below 2
			expect(report.values.defaultsSavedOverData).to.equal(2);
			const invariant = report.invariants.find((item) => item.name === "0 defaults saved over data")!;
			expect(invariant.holds).to.equal(false);
		});
	});
};
