import Foundation
import Hummingbird
import LedgerApp
import LedgerCore
import NIOCore

/// The OBP surface's request bodies. OBP reads them leniently (unknown fields are ignored, as
/// json4s does); a body that is not JSON, or a field of the wrong type, is OBP-10001.
enum ObpBody {
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, bytesMax: Int) async throws -> T {
        let data: Data
        do {
            data = try await JSONBody.bytes(from: request, bytesMax: bytesMax)
        } catch let error as APIError where error.status == .contentTooLarge {
            throw ObpError(.bodyTooLarge, "The body is larger than \(bytesMax) bytes.", status: 413)
        }
        do {
            return try CanonicalJSON.decode(T.self, from: data)
        } catch let error as DecodingError {
            throw ObpError(.invalidJson, error.explanation)
        }
    }

    /// A text field within its bound and without control characters, or OBP-10001 naming it.
    static func text(_ value: String?, _ field: String, bytesMax: Int = ObpText.nameBytesMax, required: Bool = true) throws
        -> String
    {
        guard let value else {
            if required { throw ObpError(.invalidJson, "\(field) is required") }
            return ""
        }
        guard ObpText.isValidText(value, bytesMax: bytesMax, allowEmpty: !required) else {
            throw ObpError(.invalidJson, "\(field) must be \(required ? "1" : "0") to \(bytesMax) bytes without control characters")
        }
        return value
    }

    struct Routing: Decodable {
        var scheme: String?
        var address: String?
    }

    static func routings(_ routings: [Routing]?, _ field: String) throws -> [ObpRouting] {
        let routings = routings ?? []
        guard routings.count <= 10 else { throw ObpError(.invalidJson, "\(field) holds at most 10 routings") }
        return try routings.map {
            ObpRouting(scheme: try text($0.scheme, "\(field).scheme"), address: try text($0.address, "\(field).address"))
        }
    }
}

/// `PostBankJson500`.
struct ObpBankBody: Decodable {
    var id: String?
    var bankCode: String?
    var fullName: String?
    var logo: String?
    var website: String?
    var bankRoutings: [ObpBody.Routing]?

    enum CodingKeys: String, CodingKey {
        case id
        case bankCode = "bank_code"
        case fullName = "full_name"
        case logo, website
        case bankRoutings = "bank_routings"
    }
}

/// `CreateAccountRequestJsonV500`.
struct ObpAccountBody: Decodable {
    struct Balance: Decodable {
        var currency: String?
        var amount: String?
    }

    var userId: String?
    var label: String?
    var productCode: String?
    var balance: Balance?
    var branchId: String?
    var accountRoutings: [ObpBody.Routing]?

    enum CodingKeys: String, CodingKey {
        case userId = "user_id"
        case label
        case productCode = "product_code"
        case balance
        case branchId = "branch_id"
        case accountRoutings = "account_routings"
    }
}

/// `CreateUserJson`, plus the provider (ours: OBP's users are all its own provider's).
struct ObpUserBody: Decodable {
    var email: String?
    var username: String?
    /// Accepted because OBP's clients send it, never stored or logged: the operator's login
    /// system authenticates users, not this ledger.
    var password: String?
    var firstName: String?
    var lastName: String?
    var provider: String?

    enum CodingKeys: String, CodingKey {
        case email, username, password
        case firstName = "first_name"
        case lastName = "last_name"
        case provider
    }
}

/// `CreateEntitlementJSON`.
struct ObpEntitlementBody: Decodable {
    var bankId: String?
    var roleName: String?

    enum CodingKeys: String, CodingKey {
        case bankId = "bank_id"
        case roleName = "role_name"
    }

    var request: EntitlementRequest { EntitlementRequest(bankId: bankId, roleName: roleName) }
}

/// `PostCreateUserWithRolesJsonV400`.
struct ObpUserWithRolesBody: Decodable {
    var username: String?
    var provider: String?
    var roles: [ObpEntitlementBody]?
}

/// `CreateViewJson` and `UpdateViewJsonV300`.
struct ObpViewBody: Decodable {
    var name: String?
    var description: String?
    var metadataView: String?
    var isPublic: Bool?
    var whichAliasToUse: String?
    var hideMetadataIfAliasUsed: Bool?
    var allowedActions: [String]?

    enum CodingKeys: String, CodingKey {
        case name, description
        case metadataView = "metadata_view"
        case isPublic = "is_public"
        case whichAliasToUse = "which_alias_to_use"
        case hideMetadataIfAliasUsed = "hide_metadata_if_alias_used"
        case allowedActions = "allowed_actions"
    }

    /// OBP's `allowed_actions` names that differ from the view JSON's.
    static let actionAliases = [
        "can_see_narrative": "can_see_owner_comment", "can_edit_narrative": "can_edit_owner_comment",
        "can_see_transaction_label": "can_see_transaction_description",
    ]

    func view(id: String, bankId: String, accountId: String, name: String) throws -> ObpView {
        let actions = allowedActions ?? []
        guard actions.count <= ObpViewPermissions.all.count * 2 else { throw ObpError(.invalidJson, "too many allowed_actions") }
        let permissions = try actions.map { action -> String in
            let name = Self.actionAliases[action] ?? action
            guard ObpViewPermissions.known.contains(name) else {
                throw ObpError(.invalidValue, "allowed_actions: \(action.prefix(64)) is not a view permission")
            }
            return name
        }
        let alias = whichAliasToUse ?? ""
        guard ["", "public", "private"].contains(alias) else {
            throw ObpError(.invalidValue, "which_alias_to_use must be public, private or empty")
        }
        return ObpView(
            id: id, bankId: bankId, accountId: accountId, shortName: name,
            description: try ObpBody.text(description, "description", bytesMax: ObpText.descriptionBytesMax, required: false),
            metadataView: try ObpBody.text(metadataView, "metadata_view", required: false), isPublic: isPublic ?? false,
            isSystem: false, alias: alias, hideMetadataIfAliasUsed: hideMetadataIfAliasUsed ?? false, permissions: permissions)
    }
}

/// `PostAccountAccessJsonV510`.
struct ObpAccessBody: Decodable {
    var userId: String?
    var viewId: String?

    enum CodingKeys: String, CodingKey {
        case userId = "user_id"
        case viewId = "view_id"
    }
}

/// `PostCreateUserAccountAccessJsonV510` (`is_system` is read from the view id, as OBP does).
struct ObpUserAccessBody: Decodable {
    var username: String?
    var provider: String?
    var viewId: String?
    var isSystem: Bool?

    enum CodingKeys: String, CodingKey {
        case username, provider
        case viewId = "view_id"
        case isSystem = "is_system"
    }
}
