/** How one column lines up its cells: text reads best on the left, numbers on the right. */
export type ColumnAlign = "left" | "right";

/** Options of {@link formatTable}. */
export interface FormatTableOptions {
	/** A line printed above the table (e.g. `ExecutionGuard summary (3 keys)`). */
	readonly title?: string;
	/** Alignment per column, by index; a missing entry means `"left"`. */
	readonly align?: ReadonlyArray<ColumnAlign>;
	/** Characters between two columns; two spaces by default. */
	readonly gap?: string;
	/** A line printed instead of rows when there are none (e.g. `(no records)`). */
	readonly empty?: string;
}

function pad(text: string, width: number, align: ColumnAlign) {
	const fill = string.rep(" ", width - text.size());
	return align === "right" ? fill + text : text + fill;
}

/**
 * Lays out rows of values as an aligned plain-text table for the F9 developer console (and a
 * terminal): a table made of spaces survives any log sink, where rich text would not. Every cell is
 * converted with `tostring`, columns are as wide as their widest cell, a dashed rule separates the
 * header.
 * Rows shorter than the header are padded with empty cells; longer rows are cut to the header.
 * Trailing spaces are removed from every line so copied output diffs cleanly.
 *
 * Shared by ExecutionGuard.printSummary, the lock and the lifecycle summaries, so all the toolkit's
 * printouts look alike.
 *
 * @param headers the column titles; their count fixes the number of columns
 * @param rows the cells, row by row (any value; `undefined` prints as empty)
 * @param options title, alignment per column, gap, text for an empty table
 * @returns the table as one string with `\n` between lines (no trailing newline)
 *
 * @example
 * ```ts
 * print(formatTable(["key", "runs", "p50 ms"], [["arena_init", 1, "3500.0"], ["loadData", 12, "2.1"]], {
 * 	title: "ExecutionGuard summary",
 * 	align: ["left", "right", "right"],
 * }));
 * // ExecutionGuard summary
 * // key         runs  p50 ms
 * // ----------  ----  ------
 * // arena_init     1  3500.0
 * // loadData      12     2.1
 * ```
 */
export function formatTable(
	headers: ReadonlyArray<string>,
	rows: ReadonlyArray<ReadonlyArray<unknown>>,
	options: FormatTableOptions = {},
): string {
	const gap = options.gap ?? "  ";
	const align = options.align ?? [];
	const columnCount = headers.size();
	const texts = rows.map((row) => {
		const cells = new Array<string>();
		for (let column = 0; column < columnCount; column++) {
			const value = row[column];
			cells.push(value === undefined ? "" : tostring(value));
		}
		return cells;
	});
	const widths = headers.map((header) => header.size());
	for (const cells of texts) {
		cells.forEach((cell, column) => {
			widths[column] = math.max(widths[column], cell.size());
		});
	}
	const renderLine = (cells: ReadonlyArray<string>) => {
		const parts = cells.map((cell, column) => pad(cell, widths[column], align[column] ?? "left"));
		// Trailing spaces only come from the last column's padding; strip them.
		return parts.join(gap).gsub("%s+$", "")[0];
	};
	const lines = new Array<string>();
	if (options.title !== undefined) lines.push(options.title);
	lines.push(renderLine(headers));
	lines.push(renderLine(widths.map((width) => string.rep("-", width))));
	if (texts.isEmpty() && options.empty !== undefined) lines.push(options.empty);
	for (const cells of texts) lines.push(renderLine(cells));
	return lines.join("\n");
}
