/// <reference types="@rbxts/testez/globals" />
import { formatTable } from "shared/guard";

export = () => {
	describe("formatTable (shared F9 table)", () => {
		it("pads columns to their widest cell, right-aligns where asked, and rules the header", () => {
			const text = formatTable(
				["key", "runs", "p50 ms"],
				[
					["arena_init", 1, "3500.0"],
					["loadData", 12, "2.1"],
				],
				{ title: "ExecutionGuard summary", align: ["left", "right", "right"] },
			);
			expect(text).to.equal(
				[
					"ExecutionGuard summary",
					"key         runs  p50 ms",
					"----------  ----  ------",
					"arena_init     1  3500.0",
					"loadData      12     2.1",
				].join("\n"),
			);
		});

		it("prints the empty text when there are no rows, and undefined cells as blanks without trailing spaces", () => {
			expect(formatTable(["a", "b"], [], { empty: "(none)" })).to.equal("a  b\n-  -\n(none)");
			expect(formatTable(["name", "note"], [["x", undefined]])).to.equal("name  note\n----  ----\nx");
		});
	});
};
