// npm start's store file: a snapshot written is read back as it was; a broken or foreign file is
// refused with a message naming the file and the way out (--fresh), never silently emptied.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readStoreFile, writeStoreFile } from "../../host/storeFile.js";

test("the store file round-trips a snapshot; no file means no snapshot; bad files are refused", () => {
	const dir = mkdtempSync(join(tmpdir(), "eg-store-"));
	try {
		const path = join(dir, "store.json");
		assert.deepEqual(readStoreFile(path), { ok: true, snapshot: null });
		const snapshot = { clock: 1_790_000_060.5, backends: { DataStore: { stores: { "Coins\u0000global": { k: 5 } } } } };
		writeStoreFile(path, snapshot);
		assert.deepEqual(readStoreFile(path), { ok: true, snapshot });
		writeFileSync(path, "{ not json");
		const broken = readStoreFile(path);
		assert.equal(broken.ok, false);
		assert.match(broken.message, /store\.json is not JSON .*--fresh/);
		writeFileSync(path, JSON.stringify({ players: [] }));
		assert.match(readStoreFile(path).message, /is not a saved universe \(\{ clock, backends \}\).*--fresh/);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});
