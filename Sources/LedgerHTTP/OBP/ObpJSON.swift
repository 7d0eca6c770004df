import Foundation
import HTTPTypes
import Hummingbird
import LedgerCore
import LedgerStore
import NIOCore

/// The OBP surface's response bodies, in OBP-API's v5.1.0 shapes and field names.
enum ObpJSON {
    static func response(_ object: Any, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func time(_ ms: Int64) -> String { RFC3339.string(unixMs: ms) }

    /// `EntitlementJSON`; with `user_id` as `EntitlementJsonV400`.
    static func entitlement(_ entitlement: Entitlement, withUser: Bool = false) -> [String: Any] {
        var json: [String: Any] = [
            "entitlement_id": entitlement.id, "role_name": entitlement.roleName, "bank_id": entitlement.bankId,
        ]
        if withUser { json["user_id"] = entitlement.userId }
        return json
    }

    /// `UserJsonV300` (`views` only for `/users/current`).
    static func user(_ user: ObpUser, entitlements: [Entitlement], views: [AccountAccess]?) -> [String: Any] {
        var json: [String: Any] = [
            "user_id": user.id, "email": user.email, "provider_id": user.username, "provider": user.provider,
            "username": user.username, "entitlements": ["list": entitlements.map { entitlement($0) }],
        ]
        if let views {
            json["views"] = ["list": views.map { ["bank_id": $0.bankId, "account_id": $0.accountId, "view_id": $0.viewId] }]
        }
        return json
    }

    static func routings(_ routings: [ObpRouting]) -> [[String: String]] {
        routings.map { ["scheme": $0.scheme, "address": $0.address] }
    }

    /// `BankJson500`.
    static func bank(_ bank: ObpBank) -> [String: Any] {
        [
            "id": bank.id, "bank_code": bank.bankCode, "full_name": bank.fullName, "logo": bank.logo, "website": bank.website,
            "bank_routings": routings(bank.routings),
        ]
    }

    /// `CreateAccountResponseJsonV310`.
    static func account(_ account: ObpAccount) -> [String: Any] {
        [
            "account_id": account.id, "user_id": account.holderUserId, "label": account.label,
            "product_code": account.productCode, "balance": ["currency": account.currency, "amount": "0"],
            "branch_id": account.branchId, "account_routings": routings(account.routings), "account_attributes": [Any](),
        ]
    }

    /// `ViewJsonV300`, and with the grant lists `ViewJsonV500`.
    static func view(_ view: ObpView, v500: Bool = false) -> [String: Any] {
        var json: [String: Any] = [
            "id": view.id, "short_name": view.shortName, "description": view.description, "metadata_view": view.metadataView,
            "is_public": view.isPublic, "is_system": view.isSystem, "alias": view.alias,
            "hide_metadata_if_alias_used": view.hideMetadataIfAliasUsed,
        ]
        for permission in ObpViewPermissions.inViewJSON { json[permission] = view.allows(permission) }
        if v500 {
            json["can_grant_access_to_views"] = view.canGrantAccessToViews
            json["can_revoke_access_to_views"] = view.canRevokeAccessToViews
        }
        return json
    }

    static func access(_ access: AccountAccess) -> [String: Any] {
        var json: [String: Any] = [
            "access_id": access.id, "bank_id": access.bankId, "account_id": access.accountId, "view_id": access.viewId,
            "user_id": access.userId, "granted_at": time(access.grantedAtMs), "granted_by": access.grantedBy,
        ]
        if let revokedAtMs = access.revokedAtMs {
            json["revoked_at"] = time(revokedAtMs)
            json["revoked_by"] = access.revokedBy
        }
        return json
    }

    /// One grant or revocation of a history page.
    static func history(_ entry: HistoryEntry) -> [String: Any] {
        var json: [String: Any] = ["seq": entry.seq, "change": entry.change, "at": time(entry.atMs), "by": entry.by]
        if let entitlement = entry.entitlement {
            json.merge(self.entitlement(entitlement, withUser: true)) { first, _ in first }
        }
        if let access = entry.access {
            for key in ["access_id", "bank_id", "account_id", "view_id", "user_id"] { json[key] = self.access(access)[key] }
        }
        return json
    }

    static func historyPage(_ entries: [HistoryEntry], limit: Int) -> [String: Any] {
        var json: [String: Any] = ["history": entries.map(history)]
        if entries.count == limit, let last = entries.last { json["next_after_seq"] = last.seq }
        return json
    }
}
