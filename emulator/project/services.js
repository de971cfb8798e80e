/**
 * Class names Rojo infers without a `$className`: a DataModel child named like a service becomes
 * that service (Rojo asks its reflection database for the Service tag; this is the common subset),
 * and StarterPlayer/Workspace have their special members.
 */
const SERVICES = new Set([
	"AnalyticsService",
	"AssetService",
	"BadgeService",
	"Chat",
	"CollectionService",
	"ContentProvider",
	"ContextActionService",
	"DataStoreService",
	"Debris",
	"GroupService",
	"GuiService",
	"HapticService",
	"HttpService",
	"InsertService",
	"Lighting",
	"LocalizationService",
	"LogService",
	"MarketplaceService",
	"MaterialService",
	"MemoryStoreService",
	"MessagingService",
	"PathfindingService",
	"PhysicsService",
	"Players",
	"PolicyService",
	"ProximityPromptService",
	"ReplicatedFirst",
	"ReplicatedStorage",
	"RunService",
	"ServerScriptService",
	"ServerStorage",
	"SocialService",
	"SoundService",
	"StarterGui",
	"StarterPack",
	"StarterPlayer",
	"Teams",
	"TeleportService",
	"TestService",
	"TextChatService",
	"TextService",
	"TweenService",
	"UserInputService",
	"VRService",
	"VoiceChatService",
	"Workspace",
]);

/**
 * @param {string} name the project key
 * @param {string | undefined} parentClass class of the parent instance
 * @returns {string | undefined} the inferred class, if Rojo would infer one
 */
export function inferClassName(name, parentClass) {
	if (parentClass === "DataModel") return SERVICES.has(name) ? name : undefined;
	if (parentClass === "StarterPlayer") {
		return name === "StarterPlayerScripts" || name === "StarterCharacterScripts" ? name : undefined;
	}
	if (parentClass === "Workspace") return name === "Terrain" ? name : undefined;
	return undefined;
}
