/// <reference types="@rbxts/testez/globals" />
import { MemoryProfileStore } from "server/data/MemoryProfileStore";
import { PlayerProfile, PlayerProfileStore } from "server/data/PlayerProfileStore";
import { StagedProfileStore } from "server/data/StagedProfileStore";

/** MemoryProfileStore with ProfileStore's per-key `SessionLoadCount` on each profile it starts. */
class CountingStore implements PlayerProfileStore {
	private readonly starts = new Map<string, number>();
	public constructor(public readonly inner: MemoryProfileStore) {}
	public StartSessionAsync(profileKey: string, params?: { Cancel?: () => boolean }): PlayerProfile | undefined {
		const profile = this.inner.StartSessionAsync(profileKey, params);
		if (profile === undefined) return undefined;
		const count = (this.starts.get(profileKey) ?? 0) + 1;
		this.starts.set(profileKey, count);
		(profile as unknown as { SessionLoadCount: number }).SessionLoadCount = count;
		return profile;
	}
}

export = () => {
	describe("StagedProfileStore.Seed", () => {
		it("writes a new key, and never over a key that already holds a player's data", () => {
			const inner = new MemoryProfileStore();
			const staged = new StagedProfileStore(new CountingStore(inner));
			expect(staged.Seed("Player_8901", { coins: 250, level: 3 })).to.equal(true);
			expect(inner.Peek(8901)!.coins).to.equal(250);
			// a restarted demo server stages its first player again: the stored data must stay
			expect(staged.Seed("Player_8901", { coins: 1200, level: 9 })).to.equal(false);
			expect(inner.Peek(8901)!.coins).to.equal(250);
			expect(inner.Peek(8901)!.level).to.equal(3);
		});
	});
};
