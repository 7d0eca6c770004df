/// Every command's metadata, written straight to its canonical JSON (`CanonicalJSONWriting`):
/// members in their keys' byte order (`action` before `actor`, `request_digest` before
/// `request_id`, `source` before `subject`), nil optionals left out. `EventMetadataJSONTests`
/// holds it to Foundation's encoder over every kind of text and every optional present or not.
extension EventMetadata: CanonicalJSONWriting {
    public func appendCanonicalJSON(to bytes: inout [UInt8]) {
        var first = true
        bytes.append(UInt8(ascii: "{"))
        JSONOutput.appendMember("action", action.rawValue, first: &first, to: &bytes)
        JSONOutput.appendKey("actor", first: &first, to: &bytes)
        actor.appendCanonicalJSON(to: &bytes)
        JSONOutput.appendMember("on_behalf_of", onBehalfOf, first: &first, to: &bytes)
        JSONOutput.appendMember("purpose", purpose, first: &first, to: &bytes)
        JSONOutput.appendMember("request_digest", requestDigest, first: &first, to: &bytes)
        JSONOutput.appendMember("request_id", requestId, first: &first, to: &bytes)
        JSONOutput.appendKey("source", first: &first, to: &bytes)
        source.appendCanonicalJSON(to: &bytes)
        if let subject {
            JSONOutput.appendKey("subject", first: &first, to: &bytes)
            subject.appendCanonicalJSON(to: &bytes)
        }
        JSONOutput.appendMember("trace_id", traceId, first: &first, to: &bytes)
        bytes.append(UInt8(ascii: "}"))
    }
}

extension EventMetadata.Actor: CanonicalJSONWriting {
    public func appendCanonicalJSON(to bytes: inout [UInt8]) {
        var first = true
        bytes.append(UInt8(ascii: "{"))
        JSONOutput.appendMember("id", id, first: &first, to: &bytes)
        JSONOutput.appendMember("role", role, first: &first, to: &bytes)
        bytes.append(UInt8(ascii: "}"))
    }
}

extension EventMetadata.Source: CanonicalJSONWriting {
    public func appendCanonicalJSON(to bytes: inout [UInt8]) {
        var first = true
        bytes.append(UInt8(ascii: "{"))
        JSONOutput.appendMember("ip", ip, first: &first, to: &bytes)
        JSONOutput.appendMember("service_id", serviceId, first: &first, to: &bytes)
        bytes.append(UInt8(ascii: "}"))
    }
}

extension EventMetadata.Subject: CanonicalJSONWriting {
    public func appendCanonicalJSON(to bytes: inout [UInt8]) {
        var first = true
        bytes.append(UInt8(ascii: "{"))
        JSONOutput.appendMember("id", id, first: &first, to: &bytes)
        JSONOutput.appendMember("id_type", idType, first: &first, to: &bytes)
        bytes.append(UInt8(ascii: "}"))
    }
}
