/// <reference types="@rbxts/testez/globals" />
import { countGrants, leaseOverlaps, shownByTwoServers } from "server/demo/DemoChecks";
import { buildDemoReport, RecordedRun, shownGrants } from "server/demo/DemoReport";
import { leaseHoldingsFromLines } from "server/demo/leaseSource";

const DAY = "2026-09-21";

function run(clientEvents: RecordedRun["clientEvents"]): RecordedRun {
	return { duration: 60, epoch: 1_790_000_000, servers: [], clientEvents };
}

function shown(userId: number, server: string, day = DAY) {
	return { t: 1, server, userId, remote: "ReplicatedStorage.Remotes.DailyRewardGranted", args: [day, 100] };
}

export = () => {
	describe("countGrants", () => {
		it("counts ledger grants, player-days, doubles and acknowledged grants the ledger lacks", () => {
			const ledger = [
				{ userId: 1, day: DAY },
				{ userId: 1, day: DAY },
				{ userId: 2, day: DAY },
			];
			const acknowledged = [
				{ userId: 1, day: DAY, server: "S1" },
				{ userId: 3, day: DAY, server: "S2" },
				{ userId: 3, day: DAY, server: "S2" },
			];
			const counts = countGrants(ledger, acknowledged);
			expect(counts.grants).to.equal(3);
			expect(counts.uniquePlayerDays).to.equal(2);
			expect(counts.doubleGrants).to.equal(1);
			expect(counts.lostAcknowledgedGrants).to.equal(1);
		});
	});

	describe("shownByTwoServers", () => {
		it("counts a player-day shown by a second server, not a repeat from the same server", () => {
			const list = [
				{ userId: 1, day: DAY, server: "S1" },
				{ userId: 1, day: DAY, server: "S1" },
				{ userId: 2, day: DAY, server: "S1" },
				{ userId: 2, day: DAY, server: "S2" },
				{ userId: 2, day: DAY, server: "S3" },
				{ userId: 2, day: "2026-09-22", server: "S1" },
			];
			expect(shownByTwoServers(list)).to.equal(2);
		});
	});

	describe("leaseOverlaps", () => {
		it("is 0 for holders one after another with growing tokens", () => {
			const holdings = [
				{ key: "k", token: 2, owner: "B", from: 30, to: 60 },
				{ key: "k", token: 1, owner: "A", from: 0, to: 30 },
				{ key: "other", token: 1, owner: "B", from: 0, to: 90 },
			];
			expect(leaseOverlaps(holdings)).to.equal(0);
		});

		it("counts a higher token that started while the lower one still held the key, and a token two owners share", () => {
			expect(
				leaseOverlaps([
					{ key: "k", token: 1, owner: "A", from: 0, to: 30 },
					{ key: "k", token: 2, owner: "B", from: 20, to: 60 },
				]),
			).to.equal(1);
			expect(
				leaseOverlaps([
					{ key: "k", token: 3, owner: "A", from: 0, to: 10 },
					{ key: "k", token: 3, owner: "B", from: 50, to: 60 },
				]),
			).to.equal(1);
		});

		it("a renewal by the same owner (same token, later span) is no overlap", () => {
			expect(
				leaseOverlaps([
					{ key: "k", token: 4, owner: "A", from: 0, to: 30 },
					{ key: "k", token: 4, owner: "A", from: 10, to: 40 },
				]),
			).to.equal(0);
		});
	});

	describe("leaseHoldingsFromLines", () => {
		const line = (t: number, server: string, text: string) => ({ t, server, text: `[SeasonJob] ${text}` });
		const servers = [
			{ name: "S1", endedAt: 100 },
			{ name: "S2", endedAt: 300 },
		];

		it("a holding runs from acquired to released or lost; a crashed holder's to its server's end", () => {
			const holdings = leaseHoldingsFromLines({
				duration: 300,
				servers,
				lines: [
					line(2, "S1", "acquired season_reset token 5 on job-1"),
					line(50, "S1", "ran season_reset season 7 token 5 on job-1"),
					line(130, "S2", "acquired season_reset token 6 on job-2"),
					line(200, "S2", "lost season_reset token 6 on job-2 (RenewalFailed)"),
					line(210, "S2", "acquired season_reset token 7 on job-2"),
					line(250, "S2", "released season_reset token 7 on job-2"),
					{ t: 260, server: "S2", text: "[Reward] unrelated" },
				],
			});
			const spans = holdings.map((holding) => `${holding.token}:${holding.owner}:${holding.from}-${holding.to}`);
			spans.sort();
			expect(spans.join(",")).to.equal("5:job-1:2-100,6:job-2:130-200,7:job-2:210-250");
			expect(leaseOverlaps(holdings)).to.equal(0);
		});

		it("a newer token acquired while the crashed holder's server still ran is an overlap", () => {
			const holdings = leaseHoldingsFromLines({
				duration: 300,
				servers,
				lines: [
					line(2, "S1", "acquired season_reset token 5 on job-1"),
					line(90, "S2", "acquired season_reset token 6 on job-2"),
				],
			});
			expect(leaseOverlaps(holdings)).to.equal(1);
		});

		it("no recorded line: the report says not measured, not 0", () => {
			const report = buildDemoReport(run([]), { leaseHoldings: leaseHoldingsFromLines });
			expect(report.values.leaseOverlaps).to.equal("not measured");
		});
	});

	describe("buildDemoReport", () => {
		it("reads what clients were shown from DailyRewardGranted only", () => {
			const events = [
				shown(1, "S1"),
				{ t: 2, server: "S1", userId: 1, remote: "ReplicatedStorage.Remotes.Other", args: [DAY] },
			];
			expect(shownGrants(run(events)).size()).to.equal(1);
		});

		it("says 'not measured' for every store-backed invariant whose source is absent, never 0", () => {
			const report = buildDemoReport(run([shown(1, "S1")]), {});
			for (const name of [
				"grants",
				"uniquePlayerDays",
				"doubleGrants",
				"lostAcknowledgedGrants",
				"defaultsSavedOverData",
				"leaseOverlaps",
			]) {
				expect(report.values[name]).to.equal("not measured");
			}
			const unmeasured = report.invariants.filter((item) => item.holds === undefined);
			expect(unmeasured.size()).to.equal(5);
			expect(report.values.grantsShownToPlayers).to.equal(1);
		});

		it("breaks the shown-twice invariant when two servers showed one player-day", () => {
			const report = buildDemoReport(run([shown(1, "S1"), shown(1, "S2")]), {});
			expect(report.values.playerDaysShownByTwoServers).to.equal(1);
			expect(report.invariants[0].holds).to.equal(false);
		});

		it("measures from the sources it is given: ledger, defaults over data, lease holdings (with timeline items)", () => {
			const report = buildDemoReport(run([shown(1, "S1"), shown(2, "S2")]), {
				ledger: () => [{ userId: 1, day: DAY, jobId: "job-1", at: 1_790_000_010 }],
				defaultsSavedOverData: () => 0,
				leaseHoldings: () => [
					{
						key: "season",
						token: 1,
						owner: "job-1:g",
						jobId: "job-1",
						from: 1_790_000_000,
						to: 1_790_000_030,
					},
					{
						key: "season",
						token: 2,
						owner: "job-2:g",
						jobId: "job-2",
						from: 1_790_000_020,
						to: 1_790_000_050,
					},
				],
			});
			expect(report.values.grants).to.equal(1);
			expect(report.values.lostAcknowledgedGrants).to.equal(1);
			expect(report.values.defaultsSavedOverData).to.equal(0);
			expect(report.values.leaseOverlaps).to.equal(1);
			const lease = report.timeline.filter((item) => item.kind === "lease");
			expect(lease.size()).to.equal(2);
			expect(lease[1].token).to.equal(2);
			expect(report.invariants.filter((item) => item.holds === false).size()).to.equal(2);
		});
	});
};
