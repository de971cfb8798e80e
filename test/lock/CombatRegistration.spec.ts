/// <reference types="@rbxts/testez/globals" />
import { CombatRegistration, RegistrationResult } from "server/combat/CombatRegistration";

/** M joiners hit Register in the same frame; returns their results once all have answered. */
function race(registration: CombatRegistration, combatId: string, joiners: number) {
	const results = new Array<RegistrationResult>();
	let maxSeats = 0;
	for (let userId = 1; userId <= joiners; userId++) {
		task.spawn(() => {
			task.wait(); // everybody resumes in the same frame, like a wave of PlayerAdded
			results.push(registration.Register(combatId, userId));
			maxSeats = math.max(maxSeats, registration.GetSeatsTaken(combatId));
		});
	}
	task.wait(joiners * 0.1 + 1);
	return { results, maxSeats };
}

export = () => {
	describe("CombatRegistration (seed 003)", () => {
		it("exactly 10 of 100 simultaneous joiners are admitted, the rest are told it is full", () => {
			const registration = new CombatRegistration(10);
			const { results, maxSeats } = race(registration, "nightstorm_1", 100);
			expect(results.size()).to.equal(100);
			const admitted = results.filter((result) => result.admitted);
			const full = results.filter((result) => result.refusal === "Full");
			expect(admitted.size()).to.equal(10);
			expect(full.size()).to.equal(90);
			expect(maxSeats).to.equal(10);
			expect(registration.GetRoster("nightstorm_1").size()).to.equal(10);
			expect(registration.GetSeatsTaken("nightstorm_1")).to.equal(10);
			// Positions 1..10, each handed out once.
			const positions = admitted.map((result) => result.position!).sort((a, b) => a < b);
			expect(positions.join(",")).to.equal("1,2,3,4,5,6,7,8,9,10");
		});

		it("a player registering twice at once gets one seat", () => {
			const registration = new CombatRegistration(10);
			const results = new Array<RegistrationResult>();
			for (let i = 0; i < 3; i++) task.spawn(() => results.push(registration.Register("c", 7)));
			task.wait(1);
			expect(results.filter((result) => result.admitted).size()).to.equal(1);
			expect(results.filter((result) => result.refusal === "AlreadyRegistered").size()).to.equal(2);
			expect(registration.GetSeatsTaken("c")).to.equal(1);
		});

		it("a seat freed by a leaving player goes to the next joiner, never over capacity", () => {
			const registration = new CombatRegistration(2);
			expect(registration.Register("c", 1).admitted).to.equal(true);
			expect(registration.Register("c", 2).admitted).to.equal(true);
			expect(registration.Register("c", 3).refusal).to.equal("Full");
			expect(registration.Leave("c", 1)).to.equal(true);
			expect(registration.Leave("c", 1)).to.equal(false);
			expect(registration.Register("c", 3).admitted).to.equal(true);
			expect(registration.GetSeatsTaken("c")).to.equal(2);
		});

		it("Shutdown frees every seat", () => {
			const registration = new CombatRegistration(3);
			registration.Register("c", 1);
			registration.Shutdown();
			expect(registration.GetSeatsTaken("c")).to.equal(0);
			expect(registration.Register("c", 1).admitted).to.equal(true);
		});
	});
};
