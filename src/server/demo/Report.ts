/**
 * The report module `npm start` calls in its auditor server (`--report ServerScriptService.TS.demo.Report`):
 * a function of what the emulator recorded, returning the demo's invariants (see DemoReport).
 *
 * @example
 * ```lua
 * local report = require(ServerScriptService.TS.demo.Report)(run)
 * ```
 */
import { buildDemoReport, DEMO_SOURCES, RecordedRun } from "./DemoReport";

export = (run: RecordedRun) => buildDemoReport(run, DEMO_SOURCES);
