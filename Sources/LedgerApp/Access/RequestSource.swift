import LedgerCore

/// Where a request came from, as the audit envelope records it: the surface knows these, the use
/// case knows who acts and on whose behalf, and the two together make the event's metadata.
package struct RequestSource: Sendable, Equatable {
    package var ip: String?
    package var requestId: String
    package var traceId: String?
    /// The caller's stated purpose of use (`X-Purpose`), at most 200 characters.
    package var purpose: String?

    package init(ip: String?, requestId: String, traceId: String?, purpose: String?) {
        self.ip = ip
        self.requestId = requestId
        self.traceId = traceId
        self.purpose = purpose
    }

    package func metadata(
        actor: EventMetadata.Actor, onBehalfOf: String? = nil, action: EventMetadata.Action, subjectUserId: String?
    ) -> EventMetadata {
        EventMetadata(
            actor: actor,
            onBehalfOf: onBehalfOf,
            subject: subjectUserId.map { .init(id: $0, idType: "user") },
            action: action,
            purpose: purpose,
            source: .init(serviceId: SystemActor.serviceId, ip: ip),
            requestId: requestId,
            traceId: traceId)
    }
}
