import Foundation

/// Every event type this build writes, by its `type` name: a stored event decoded once, as its own
/// type, by whoever has a spare core (replay decodes on one thread while it writes on another).
/// A type missing here costs only speed: readers that get no typed event decode the payload
/// themselves, as they always could.
public enum KnownEvents {
    public static let all: [any DomainEvent.Type] = [
        // Connections, tokens, spends, budgets
        ConnectionGranted.self, ConnectionUpdated.self, ConnectionRevoked.self, CommandRejected.self, TokenIssued.self,
        SpendReserved.self, SpendSettled.self, SpendCorrected.self, SpendReleased.self, SpendDenied.self,
        BudgetThresholdReached.self, AdminCredentialSet.self, CheckpointKeyAdded.self,
        // OAuth clients and grants, the gateway
        ClientRegistered.self, ClientUpdated.self, ClientDeleted.self, AuthorizationCodeIssued.self,
        DeviceAuthorizationStarted.self, DeviceAuthorizationAnswered.self, GrantRedeemed.self, GrantReplayed.self,
        RefreshTokenIssued.self, RefreshTokenRotated.self, RefreshTokenReused.self, TokenRevoked.self,
        GatewayAccessRecorded.self,
        // NEN 7513 audit
        AccessReported.self, AuditLogRead.self,
        // Nuts practitioner login
        OrganizationRegistered.self, OrganizationChanged.self, OrganizationRemoved.self, SigningSessionStarted.self,
        SigningSessionChanged.self, NutsAccessTokenIssued.self,
        // Open Bank Project
        ObpBankCreated.self, ObpAccountCreated.self, ObpUserCreated.self, EntitlementGranted.self,
        EntitlementRevoked.self, ObpViewSaved.self, ObpViewDeleted.self, AccountAccessGranted.self,
        AccountAccessRevoked.self, AuthorizationChecked.self, DAuthRefused.self,
    ]

    private static let decoders: [String: @Sendable (EventPayload) throws -> any DomainEvent] = {
        var decoders: [String: @Sendable (EventPayload) throws -> any DomainEvent] = [:]
        for type in all { decoders[type.type] = decoder(for: type) }
        for (type, decode) in readingDecoders { decoders[type] = decode }
        return decoders
    }()

    private static func decoder<E: DomainEvent>(for _: E.Type) -> @Sendable (EventPayload) throws -> any DomainEvent {
        { payload in try payload.decode(as: E.self) }
    }

    /// The types that read themselves off the tape (`CanonicalJSONReading`), named here: asking
    /// each of `all` at run time (`as? any CanonicalJSONReading.Type`) made the runtime search its
    /// conformance records for every type that does not, 26 million instructions under callgrind
    /// when the table was first used, in every process. One left out only reads more slowly.
    private static let readingDecoders = [
        readingDecoder(for: SpendReserved.self), readingDecoder(for: SpendSettled.self),
        readingDecoder(for: SpendReleased.self), readingDecoder(for: SpendDenied.self),
        readingDecoder(for: SpendCorrected.self),
    ]

    /// The same closure as `decoder(for:)`'s, but here `E` is known to read itself, so it calls
    /// `EventPayload.decode`'s reading overload.
    private static func readingDecoder<E: DomainEvent & CanonicalJSONReading>(
        for _: E.Type
    ) -> (String, @Sendable (EventPayload) throws -> any DomainEvent) {
        (E.type, { payload in try payload.decode(as: E.self) })
    }

    /// The payload as its own type; nil for a type this build does not list. Throws what
    /// `EventPayload.decode(as:)` throws (bad JSON, a version newer than this build).
    public static func decode(_ payload: EventPayload) throws -> (any DomainEvent)? {
        guard let decode = decoders[payload.type] else { return nil }
        return try decode(payload)
    }
}
