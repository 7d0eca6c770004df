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
