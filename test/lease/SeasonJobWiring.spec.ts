/// <reference types="@rbxts/testez/globals" />
// The season job as GameServer wires it (deps.seasonJob): registered with the other services, started
// by Boot (the lease is taken and the first season reset written), released by Shutdown.
import { DataStoreService, HttpService } from "@rbxts/services";
import { ExecutionGuard } from "shared/guard";
import { MemoryProfileStore } from "server/data/MemoryProfileStore";
import { GameServer } from "server/GameServer";
import { SEASON_JOB_KEY, SeasonJobEvent } from "server/services/SeasonJobService";

const quiet = () => {};

export = () => {
	describe("GameServer with deps.seasonJob", () => {
		it("Boot starts the job (lease taken, season written); Shutdown releases the lease", () => {
			const events: SeasonJobEvent[] = [];
			const server = new GameServer({
				guard: new ExecutionGuard(false),
				profiles: new MemoryProfileStore(),
				arenaParent: new Instance("Folder"),
				log: quiet,
				registryOutput: false,
				rewardStore: DataStoreService.GetDataStore(`Rewards_${HttpService.GenerateGUID(false)}`),
				seasonJob: {
					seasonStore: DataStoreService.GetDataStore(`Season_${HttpService.GenerateGUID(false)}`),
					periodSeconds: 60,
					onEvent: (event) => events.push(event),
				},
			});
			server.Boot();
			task.wait(2);
			const job = server.seasonJob!;
			expect(job).to.be.ok();
			expect(job.lock.IsLocked(SEASON_JOB_KEY)).to.equal(true);
			expect(events.map((event) => event.kind).join(",")).to.equal("acquired,ran");
			server.Shutdown();
			expect(job.lock.IsLocked(SEASON_JOB_KEY)).to.equal(false);
			expect(events[events.size() - 1].kind).to.equal("released");
		});
	});
};
