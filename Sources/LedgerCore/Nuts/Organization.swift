import Foundation

/// A care organisation a practitioner acts for: what the Nuts node learns from a trusted
/// NutsOrganizationCredential (name and city for a DID). We keep a registry instead, each change
/// an event, so a contract drawn up years ago still names who it named.
public struct Organization: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var city: String
    public var removed: Bool
    public var version: Int64

    public init(id: String, name: String, city: String, removed: Bool = false, version: Int64 = 1) {
        self.id = id
        self.name = name
        self.city = city
        self.removed = removed
        self.version = version
    }
}

/// Registering, changing and removing an organisation.
public enum OrganizationDecider {
    public static let idBytesMax = 256
    public static let textBytesMax = 200

    /// A DID (`did:<method>:<id>`), as the node's `legalEntity` is; the registry takes nothing else.
    public static func checkId(_ id: String) throws(Rejection) {
        let parts = id.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard id.utf8.count <= idBytesMax, parts.count == 3, parts[0] == "did", !parts[1].isEmpty, !parts[2].isEmpty,
            id.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 0x20 && $0 != "/" && $0 != "?" && $0 != "#" })
        else { throw Rejection(.invalidCommand, "id must be a DID (did:method:identifier) of at most \(idBytesMax) bytes") }
    }

    public static func checkText(_ value: String, field: String) throws(Rejection) {
        guard !value.trimmingCharacters(in: .whitespaces).isEmpty, value.utf8.count <= textBytesMax,
            !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else { throw Rejection(.invalidCommand, "\(field) must be 1 to \(textBytesMax) bytes without control characters") }
    }

    public static func register(_ organization: Organization, current: Organization?) -> Result<[any DomainEvent], Rejection> {
        if let current, !current.removed {
            return .failure(Rejection(.alreadyExists, "organization \(organization.id) is registered already"))
        }
        return .success([OrganizationRegistered(id: organization.id, name: organization.name, city: organization.city)])
    }

    public static func change(id: String, name: String, city: String, current: Organization?) -> Result<[any DomainEvent], Rejection> {
        guard let current, !current.removed else { return .failure(Rejection(.notFound, "no organization \(id)")) }
        guard current.name != name || current.city != city else { return .success([]) }
        return .success([OrganizationChanged(id: id, name: name, city: city)])
    }

    public static func remove(id: String, current: Organization?) -> Result<[any DomainEvent], Rejection> {
        guard let current, !current.removed else { return .failure(Rejection(.notFound, "no organization \(id)")) }
        return .success([OrganizationRemoved(id: id)])
    }

    public static func evolve(_ current: Organization?, _ event: any DomainEvent) -> Organization? {
        switch event {
        case let registered as OrganizationRegistered:
            return Organization(
                id: registered.id, name: registered.name, city: registered.city, removed: false,
                version: (current?.version ?? 0) + 1)
        case let changed as OrganizationChanged:
            guard var next = current else { return nil }
            next.name = changed.name
            next.city = changed.city
            next.version += 1
            return next
        case is OrganizationRemoved:
            guard var next = current else { return nil }
            next.removed = true
            next.version += 1
            return next
        default:
            return current
        }
    }
}
