import { Players } from "@rbxts/services";
import { CombatRegistration } from "./CombatRegistration";

// The lobby's combat: the first 10 players in the server get a seat, the others are told it is full.
// Seats are freed when a player leaves, and every seat and lock is released at shutdown.
const LOBBY_COMBAT = "lobby_combat";
const registration = new CombatRegistration(10);

Players.PlayerAdded.Connect((player) => {
	const result = registration.Register(LOBBY_COMBAT, player.UserId);
	if (result.admitted) print(`[Combat] ${player.Name} took seat ${result.position}/${registration.capacity}`);
	else print(`[Combat] ${player.Name} not registered: ${result.refusal}`);
});

Players.PlayerRemoving.Connect((player) => {
	registration.Leave(LOBBY_COMBAT, player.UserId);
});

game.BindToClose(() => {
	registration.PrintSummary();
	registration.Shutdown();
});
