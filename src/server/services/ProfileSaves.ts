import { PlayerSession, waitUntil } from "./PlayerSession";

/**
 * Saves a `Loaded` session now (`profile.Save()`: one UpdateAsync, in ProfileStore's thread) and
 * yields until a save of the profile finished. ProfileStore runs a key's saves in order, so the save
 * seen may be an autosave already in flight, with this one landing right after it. Raises when
 * ProfileStore found the key taken by another server (the session ended here).
 *
 * @example
 * ```ts
 * guard.RunOnce("player_data_42_save", () => saveNow(session), { join: true, timeout: 30 });
 * ```
 */
export function saveNow(session: PlayerSession) {
	const profile = session.profile!;
	const savesBefore = session.saves;
	profile.Save();
	waitUntil(() => session.saves > savesBefore || !profile.IsActive(), math.huge);
	if (!profile.IsActive()) error("the session ended here (another server took the key)", 0);
}

/**
 * Ends a `Leaving` session (`EndSession`, once: its last save and the release of the key, in
 * ProfileStore's thread) and yields until that last save finished. Called again — by a rejoin, a
 * shutdown, or after the first caller's thread died — it only waits.
 *
 * @example
 * ```ts
 * guard.RunOnce("player_data_42_save", () => releaseAndWait(session), { join: true, timeout: 30 });
 * ```
 */
export function releaseAndWait(session: PlayerSession) {
	const profile = session.profile!;
	if (profile.IsActive()) profile.EndSession();
	waitUntil(() => session.released, math.huge);
}
