/// <reference types="@rbxts/testez/globals" />
import { countGrants, defaultsOverData, leaseOverlaps, shownByTwoServers } from "server/demo/DemoChecks";
import { buildDemoReport, RecordedRun, shownGrants } from "server/demo/DemoReport";
import { leaseHoldingsFromLines } from "server/demo/leaseSource";
import { sessionFactsFromLines } from "server/demo/sessionSource";

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
				defaultsSavedOverData: () => ({
					facts: [{ t: 1, userId: 1, kind: "saved", counter: 2 }],
					stored: new Map([[1, 2]]),
				}),
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
	describe("defaultsOverData", () => {
		it("a start that loaded less than an earlier acknowledged save is one; a crash's unsaved session is not", () => {
			const facts = [
				{ t: 10, userId: 1, kind: "saved" as const, counter: 1 },
				{ t: 20, userId: 1, kind: "start" as const, loaded: 1, counter: 2 }, // its server crashed, never saved
				{ t: 30, userId: 1, kind: "start" as const, loaded: 1, counter: 2 }, // so 1 again: progress lost, not data
				{ t: 40, userId: 1, kind: "saved" as const, counter: 2 },
				{ t: 50, userId: 1, kind: "start" as const, loaded: 0, counter: 1 }, // defaults over data
			];
			const result = defaultsOverData(facts, new Map([[1, 2]]));
			expect(result.violations).to.equal(1);
			expect(result.players).to.equal(1);
			expect(result.saves).to.equal(2);
		});

		it("a stored counter below the highest acknowledged save is one; a player never saved is not judged", () => {
			const facts = [
				{ t: 1, userId: 1, kind: "start" as const, loaded: 0, counter: 1 },
				{ t: 2, userId: 1, kind: "saved" as const, counter: 1 },
				{ t: 3, userId: 1, kind: "start" as const, loaded: 1, counter: 2 },
				{ t: 4, userId: 1, kind: "saved" as const, counter: 2 },
				{ t: 1, userId: 2, kind: "start" as const, loaded: 5, counter: 6 },
			];
			expect(defaultsOverData(facts, new Map([[1, 2]])).violations).to.equal(0);
			expect(defaultsOverData(facts, new Map([[1, 2]])).setBack.size()).to.equal(0);
			const reset = defaultsOverData(facts, new Map([[1, 0]]));
			expect(reset.violations).to.equal(1);
			expect(reset.players).to.equal(1);
			expect(reset.setBack.join(",")).to.equal("1"); // the report names the players set back
			expect(defaultsOverData(facts, new Map()).violations).to.equal(1); // no profile at all
		});

		it("a start at the same instant as a save is not judged against it (its order is unknown)", () => {
			const facts = [
				{ t: 5, userId: 1, kind: "start" as const, loaded: 3, counter: 4 },
				{ t: 5, userId: 1, kind: "saved" as const, counter: 4 },
			];
			expect(defaultsOverData(facts, new Map([[1, 4]])).violations).to.equal(0);
		});
	});

	describe("sessionFactsFromLines", () => {
		it("reads PlayerDataService's start and saved lines and skips other lines", () => {
			const facts = sessionFactsFromLines([
				{ t: 1, server: "S1", text: "[PlayerSessions] start 1001 loaded 2 now 3" },
				{ t: 2, server: "S1", text: "[PlayerSessions] saved 1001 sessions 3" },
				{ t: 3, server: "S1", text: "[PlayerData] Player1001: saved (5 coins)" },
				{ t: 4, server: "S1", text: "[PlayerSessions] something else" },
			]);
			expect(facts.size()).to.equal(2);
			expect(facts[0].kind).to.equal("start");
			expect(facts[0].userId).to.equal(1001);
			expect(facts[0].loaded).to.equal(2);
			expect(facts[0].counter).to.equal(3);
			expect(facts[1].kind).to.equal("saved");
			expect(facts[1].counter).to.equal(3);
			expect(facts[1].t).to.equal(2);
		});
	});

	describe("the defaults-over-data invariant on a recorded run", () => {
		// A player hops S1 -> S2 -> S3; S2 saves once; S3 comes back with defaults and saves them.
		const lines = [
			{ t: 3, server: "S1", text: "[PlayerSessions] start 1001 loaded 0 now 1" },
			{ t: 60, server: "S1", text: "[PlayerSessions] saved 1001 sessions 1" },
			{ t: 66, server: "S2", text: "[PlayerSessions] start 1001 loaded 1 now 2" },
			{ t: 90, server: "S2", text: "[PlayerSessions] saved 1001 sessions 2" },
			{ t: 96, server: "S3", text: "[PlayerSessions] start 1001 loaded 0 now 1" },
			{ t: 120, server: "S3", text: "[PlayerSessions] saved 1001 sessions 1" },
			{ t: 4, server: "S1", text: "[SeasonJob] acquired season_reset token 1 on job-1" },
		];
		const recorded: RecordedRun = { ...run([]), duration: 200, lines };

		it("breaks, with the count, when a session saved defaults over a player's data", () => {
			const report = buildDemoReport(recorded, {
				defaultsSavedOverData: (given) => ({
					facts: sessionFactsFromLines(given.lines ?? []),
					stored: new Map([[1001, 1]]),
				}),
			});
			expect(report.values.defaultsSavedOverData).to.equal(2); // S3's start, and the stored 1 < 2
			const invariant = report.invariants.find((item) => item.name === "0 defaults saved over data")!;
			expect(invariant.holds).to.equal(false);
		});

		it("holds for the same hops when each session loaded what the last one saved", () => {
			const healthy = lines.map((line) =>
				line.server === "S3"
					? {
							...line,
							text: line.text
								.gsub("loaded 0 now 1", "loaded 2 now 3")[0]
								.gsub("sessions 1", "sessions 3")[0],
						}
					: line,
			);
			const report = buildDemoReport(
				{ ...recorded, lines: healthy },
				{
					defaultsSavedOverData: (given) => ({
						facts: sessionFactsFromLines(given.lines ?? []),
						stored: new Map([[1001, 3]]),
					}),
				},
			);
			expect(report.values.defaultsSavedOverData).to.equal(0);
			expect(report.invariants.find((item) => item.name === "0 defaults saved over data")!.holds).to.equal(true);
		});

		it("with the source but no session line recorded, says not measured", () => {
			const report = buildDemoReport(run([]), {
				defaultsSavedOverData: () => ({ facts: [], stored: new Map() }),
			});
			expect(report.values.defaultsSavedOverData).to.equal("not measured");
			expect(report.invariants.find((item) => item.name === "0 defaults saved over data")!.holds).to.equal(
				undefined,
			);
		});
	});
};
