/// <reference types="@rbxts/testez/globals" />
import { CombatService, JoinResult } from "server/combat/CombatService";
import { asPlayer, fakePlayer } from "./fakePlayers";

const quiet = () => {};

export = () => {
	describe("CombatService", () => {
		it("a player who leaves while queued for the roster lock gets no seat and keeps none", () => {
			const combat = new CombatService({ capacity: 10, saveSeconds: 1, log: quiet });
			const first = fakePlayer(8101);
			const second = fakePlayer(8102);
			task.spawn(() => combat.Join(asPlayer(first))); // holds the roster lock for its 1 s save
			let secondResult: JoinResult | undefined;
			task.spawn(() => {
				secondResult = combat.Join(asPlayer(second)); // queues behind it
			});
			task.wait(0.5);
			combat.ReleasePlayer(asPlayer(second)); // left while still queued
			task.wait(2);
			expect(secondResult).to.be.ok();
			expect(secondResult!.admitted).to.equal(false);
			expect(secondResult!.refusal).to.equal("Left");
			expect(combat.registration.GetRoster(combat.combatId).join(",")).to.equal("8101");
			expect(combat.registration.GetSeatsTaken(combat.combatId)).to.equal(1);
		});

		it("a leaving player's seat goes to the next joiner, and Destroy frees every seat", () => {
			const combat = new CombatService({ capacity: 1, saveSeconds: 0, log: quiet });
			const first = fakePlayer(8201);
			expect(combat.Join(asPlayer(first)).admitted).to.equal(true);
			expect(combat.Join(asPlayer(fakePlayer(8202))).refusal).to.equal("Full");
			combat.ReleasePlayer(asPlayer(first));
			expect(combat.Join(asPlayer(fakePlayer(8203))).admitted).to.equal(true);
			combat.Destroy();
			expect(combat.registration.GetSeatsTaken(combat.combatId)).to.equal(0);
		});
	});
};
