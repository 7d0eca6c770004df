/// Every command's metadata, written straight to its canonical JSON (`CanonicalJSONWriting`):
/// members in their keys' byte order (`action` before `actor`, `request_digest` before
/// `request_id`, `source` before `subject`), nil optionals left out. `EventMetadataJSONTests`
/// holds it to Foundation's encoder over every kind of text and every optional present or not.
extension EventMetadata: CanonicalJSONWriting {
    public func appendCanonicalJSON(to bytes: inout [UInt8]) {
        CanonicalJSONObject.write(to: &bytes) { object in
            object.member("action", action.rawValue)
            object.member("actor", actor)
            object.member("on_behalf_of", onBehalfOf)
            object.member("purpose", purpose)
            object.member("request_digest", requestDigest)
            object.member("request_id", requestId)
            object.member("source", source)
            object.member("subject", subject)
            object.member("trace_id", traceId)
        }
    }
}

extension EventMetadata.Actor: CanonicalJSONWriting {
    public func appendCanonicalJSON(to bytes: inout [UInt8]) {
        CanonicalJSONObject.write(to: &bytes) { object in
            object.member("id", id)
            object.member("role", role)
        }
    }
}

extension EventMetadata.Source: CanonicalJSONWriting {
    public func appendCanonicalJSON(to bytes: inout [UInt8]) {
        CanonicalJSONObject.write(to: &bytes) { object in
            object.member("ip", ip)
            object.member("service_id", serviceId)
        }
    }
}

extension EventMetadata.Subject: CanonicalJSONWriting {
    public func appendCanonicalJSON(to bytes: inout [UInt8]) {
        CanonicalJSONObject.write(to: &bytes) { object in
            object.member("id", id)
            object.member("id_type", idType)
        }
    }
}

/// Every event's metadata read back off the tape (`CanonicalJSONReading`), its members asked for
/// in the order they are written. `EventMetadataJSONTests` holds it to Foundation's decoder.
extension EventMetadata: CanonicalJSONReading {
    package init(reading object: inout CanonicalJSONObjectReader) throws {
        let action = try object.rawValue("action", as: Action.self)
        let actor = try object.value("actor", as: Actor.self)
        let onBehalfOf = try object.string(ifPresent: "on_behalf_of")
        let purpose = try object.string(ifPresent: "purpose")
        let requestDigest = try object.string(ifPresent: "request_digest")
        let requestId = try object.string("request_id")
        let source = try object.value("source", as: Source.self)
        let subject = try object.value(ifPresent: "subject", as: Subject.self)
        let traceId = try object.string(ifPresent: "trace_id")
        self.init(
            actor: actor, onBehalfOf: onBehalfOf, subject: subject, action: action, purpose: purpose, source: source,
            requestId: requestId, traceId: traceId)
        self.requestDigest = requestDigest
    }
}

extension EventMetadata.Actor: CanonicalJSONReading {
    package init(reading object: inout CanonicalJSONObjectReader) throws {
        let id = try object.string("id")
        self.init(id: id, role: try object.string("role"))
    }
}

extension EventMetadata.Source: CanonicalJSONReading {
    package init(reading object: inout CanonicalJSONObjectReader) throws {
        let ip = try object.string(ifPresent: "ip")
        self.init(serviceId: try object.string("service_id"), ip: ip)
    }
}

extension EventMetadata.Subject: CanonicalJSONReading {
    package init(reading object: inout CanonicalJSONObjectReader) throws {
        let id = try object.string("id")
        self.init(id: id, idType: try object.string("id_type"))
    }
}
