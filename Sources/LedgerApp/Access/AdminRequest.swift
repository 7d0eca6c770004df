import LedgerCore
import LedgerStore

/// An admin API request's write envelope: where it came from, and the idempotency and
/// optimistic-concurrency headers it carried.
package struct AdminRequest: Sendable {
    package var source: RequestSource
    package var idempotencyKey: String?
    /// Digest of the request under `idempotencyKey`: the key reused for another request is refused.
    package var requestDigest: String?
    /// `If-Match`: refuse unless the stream is at exactly this version.
    package var expectedVersion: Int64?

    package init(
        source: RequestSource, idempotencyKey: String? = nil, requestDigest: String? = nil,
        expectedVersion: Int64? = nil
    ) {
        self.source = source
        self.idempotencyKey = idempotencyKey
        self.requestDigest = requestDigest
        self.expectedVersion = expectedVersion
    }

    static let actor = EventMetadata.Actor(id: "admin", role: "admin")

    func context(_ action: EventMetadata.Action, subjectUserId: String?) -> WriteContext {
        WriteContext(
            source.metadata(actor: Self.actor, action: action, subjectUserId: subjectUserId),
            idempotencyKey: idempotencyKey, requestDigest: requestDigest, expectedVersion: expectedVersion)
    }
}
