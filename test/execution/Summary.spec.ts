/// <reference types="@rbxts/testez/globals" />
import { LogService } from "@rbxts/services";
import { ExecutionGuard, GuardError } from "shared/guard";

/** Lines of the summary that are key rows (after the title, the column header and the rule). */
function keyRows(text: string) {
	const lines = text.split("\n");
	const rows = new Array<string>();
	for (let index = 3; index < lines.size(); index++) {
		const first = lines[index].sub(1, 1);
		// Not the "... and N more keys" line nor the "(no records)" line.
		if (first !== "." && first !== "(") rows.push(lines[index]);
	}
	return rows;
}

function firstCell(row: string) {
	return row.match("^(%S+)")[0] as string;
}

export = () => {
	describe("printSummary stays bounded", () => {
		it("5,003 keys print 50 rows and one '... and 4953 more keys' line, problems first, then the most recent", () => {
			const guard = new ExecutionGuard();
			for (let i = 1; i <= 4998; i++) guard.RunOnce(`player_${i}`, () => i);
			// Runs in one frame share one clock reading; these two are the most recent by time.
			task.wait(0.1);
			guard.RunOnce("player_4999", () => 4999);
			task.wait(0.1);
			guard.RunOnce("player_5000", () => 5000);
			guard.RunOnce("broken_old", () => error("first"));
			task.wait(1);
			guard.RunOnce("broken_new", () => error("second"));
			task.wait(1);
			guard.RunOnce("latest", () => "fresh");
			const text = guard.FormatSummary();
			const lines = text.split("\n");
			expect(lines.size()).to.equal(3 + 50 + 1);
			expect(lines[0].find("5003 keys", 1, true)[0] !== undefined).to.equal(true);
			expect(lines[lines.size() - 1]).to.equal("... and 4953 more keys");
			const rows = keyRows(text);
			expect(rows.size()).to.equal(50);
			expect(firstCell(rows[0])).to.equal("broken_new");
			expect(firstCell(rows[1])).to.equal("broken_old");
			// Then the keys that ran last, newest first.
			expect(firstCell(rows[2])).to.equal("latest");
			expect(firstCell(rows[3])).to.equal("player_5000");
			expect(firstCell(rows[4])).to.equal("player_4999");
		});

		it("a guard with fewer keys than the limit prints them all and no 'more keys' line", () => {
			const guard = new ExecutionGuard();
			for (let i = 1; i <= 3; i++) guard.RunOnce(`k${i}`, () => i);
			const lines = guard.FormatSummary().split("\n");
			expect(lines.size()).to.equal(3 + 3);
			expect(lines[lines.size() - 1].find("more keys", 1, true)[0]).to.equal(undefined);
		});

		it("{ key } shows one key, { prefix } only the keys that start with it, { limit } changes the row count", () => {
			const guard = new ExecutionGuard();
			for (let i = 1; i <= 300; i++) guard.RunOnce(`player_${i}`, () => i);
			for (let i = 1; i <= 300; i++) guard.RunOnce(`arena_${i}`, () => i);
			const one = keyRows(guard.FormatSummary({ key: "player_42" }));
			expect(one.size()).to.equal(1);
			expect(firstCell(one[0])).to.equal("player_42");
			const players = guard.FormatSummary({ prefix: "player_" });
			const rows = keyRows(players);
			expect(rows.size()).to.equal(50);
			for (const row of rows) expect(firstCell(row).sub(1, 7)).to.equal("player_");
			expect(players.find("... and 250 more keys", 1, true)[0] !== undefined).to.equal(true);
			expect(keyRows(guard.FormatSummary({ prefix: "arena_1", limit: 5 })).size()).to.equal(5);
			expect(keyRows(guard.FormatSummary({ key: "nobody" })).size()).to.equal(0);
			// The dot call of the guide, with the new options argument: one print each, of the bounded table.
			const printed = new Array<string>();
			const connection = LogService.MessageOut.Connect((message) => {
				if (message.sub(1, 23) === "ExecutionGuard summary:") printed.push(message);
			});
			ExecutionGuard.printSummary(guard, { prefix: "arena_29" });
			ExecutionGuard.printSummary(guard);
			task.wait(); // a handler may run later on Roblox (deferred signals)
			connection.Disconnect();
			expect(printed.size()).to.equal(2);
			expect(printed[0]).to.equal(guard.FormatSummary({ prefix: "arena_29" }));
			expect(keyRows(printed[0]).size()).to.equal(11); // arena_29 and arena_290 to arena_299
			expect(printed[1]).to.equal(guard.FormatSummary());
			expect(printed[1].split("\n").size()).to.equal(3 + 50 + 1);
		});

		it("summary options are checked like every other option", () => {
			const guard = new ExecutionGuard();
			const [ok, err] = pcall(() => guard.FormatSummary({ prefx: "a" } as never));
			expect(ok).to.equal(false);
			expect(GuardError.is(err, "InvalidArgument")).to.equal(true);
			expect((err as GuardError).message.find("did you mean 'prefix'?", 1, true)[0] !== undefined).to.equal(true);
			const [ok2, err2] = pcall(() => ExecutionGuard.printSummary(guard, { limit: 0 }));
			expect(ok2).to.equal(false);
			expect(GuardError.is(err2, "InvalidArgument")).to.equal(true);
		});
	});
};
