/// <reference types="@rbxts/testez/globals" />
// A universe driven from TypeScript (the types are test/emulator/universe.d.ts): players join, hop and
// rejoin across servers, each in one server at a time, with the servers' own PlayerAdded/PlayerRemoving.

export = () => {
	describe("a universe driven from TypeScript", () => {
		it("a hop is a PlayerRemoving on one server, then a PlayerAdded on the other after the hop delay", () => {
			const universe = Universe.new({ seed: 4, hopDelay: 2 });
			const a = universe.startServer({ name: "A" });
			const b = universe.startServer({ name: "B" });
			const events: string[] = [];
			for (const server of [a, b]) {
				server.run((g) => {
					const players = g.game.GetService("Players");
					players.PlayerAdded.Connect((player) =>
						events.push(`${server.name} added ${player.UserId} at ${g.time()}`),
					);
					players.PlayerRemoving.Connect((player) =>
						events.push(`${server.name} removing ${player.UserId} at ${g.time()}`),
					);
				});
			}
			universe.join(42, a);
			expect(universe.serverOf(42)).to.equal(a);
			const player = universe.hop(42, b);
			expect(player.UserId).to.equal(42);
			expect(universe.serverOf(42)).to.equal(b);
			expect(a.game.GetService("Players").GetPlayerByUserId(42)).to.equal(undefined);
			expect(events.join("; ")).to.equal("A added 42 at 0; A removing 42 at 0; B added 42 at 2");
			universe.close();
		});

		it("rejoins land on a seeded choice of the running servers, the same for the same seed", () => {
			const landings = (seed: number) => {
				const universe = Universe.new({ seed });
				for (let index = 0; index < 4; index++) universe.startServer();
				universe.join(7);
				const names: string[] = [];
				for (let round = 0; round < 12; round++) {
					universe.rejoin(7);
					names.push(universe.serverOf(7)!.name);
				}
				universe.close();
				return names.join(",");
			};
			const first = landings(9);
			expect(landings(9)).to.equal(first);
			const distinct = new Set(first.split(","));
			expect(distinct.size() >= 2).to.equal(true);
		});

		it("a crashed server's players are in no server, and a rejoin never picks a crashed server", () => {
			const universe = Universe.new({ seed: 5 });
			const a = universe.startServer({ name: "A" });
			const b = universe.startServer({ name: "B" });
			for (let userId = 1; userId <= 6; userId++) universe.join(userId, userId <= 3 ? a : b);
			a.crash();
			expect(universe.serverOf(1)).to.equal(undefined);
			expect(universe.cloud.totalUsers()).to.equal(3);
			for (let userId = 1; userId <= 3; userId++) expect(universe.rejoin(userId).Parent?.Parent).to.equal(b.game);
			expect(b.playerCount()).to.equal(6);
			universe.close();
		});
	});
};
