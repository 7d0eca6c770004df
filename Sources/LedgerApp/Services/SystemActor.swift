import LedgerCore

/// How this server names itself in the events it records on its own behalf.
package enum SystemActor {
    /// The `source.service_id` of every event this process records.
    package static let serviceId = "grantledger"

    /// The envelope of an event no request caused: a background service's decision.
    package static func metadata(_ name: String, action: EventMetadata.Action, purpose: String? = nil) -> EventMetadata {
        EventMetadata(
            actor: .init(id: "system:\(name)", role: "system"), action: action, purpose: purpose,
            source: .init(serviceId: serviceId), requestId: name)
    }
}
