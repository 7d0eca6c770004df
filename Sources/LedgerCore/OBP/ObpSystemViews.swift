import Foundation

/// The system views every account has, with the permissions OBP-API gives them
/// (`MapperViews.unsavedSystemView`, `Constant.scala`, OpenBankProject/OBP-API). They are not
/// events: a build defines them, and a custom view (id starting with `_`) is what an operator adds.
public enum ObpSystemViews {
    public static let ownerId = "owner"

    /// `DEFAULT_CAN_GRANT_AND_REVOKE_ACCESS_TO_VIEWS`: what `owner` and `standard` may hand out.
    public static let grantableByOwner = [
        "owner", "auditor", "accountant", "firehose", "standard", "StageOne", "ManageCustomViews", "ReadAccountsBasic",
        "ReadAccountsDetail", "ReadBalances", "ReadTransactionsBasic", "ReadTransactionsDebits", "ReadTransactionsDetail",
        "ReadAccountsBerlinGroup", "ReadBalancesBerlinGroup", "ReadTransactionsBerlinGroup", "InitiatePaymentsBerlinGroup",
    ]

    /// False on every system view unless named below.
    static let falseByDefault: Set<String> = [
        "can_see_available_views_for_bank_account", "can_see_transaction_requests", "can_see_transaction_request_types",
        "can_update_bank_account_label", "can_see_views_with_permissions_for_one_user",
        "can_see_views_with_permissions_for_all_users", "can_revoke_access_to_custom_views",
        "can_grant_access_to_custom_views", "can_create_custom_view", "can_delete_custom_view", "can_update_custom_view",
        "can_get_custom_view", "can_query_available_funds", "can_see_bank_account_credit_limit", "can_create_direct_debit",
        "can_create_standing_order",
        // OBP's ViewDefinition hard-codes this one false on every view.
        "can_add_transaction_request_to_own_account",
    ]

    static let base = ObpViewPermissions.all.filter { !falseByDefault.contains($0) }

    static let ownerExtras = [
        "can_see_available_views_for_bank_account", "can_see_transaction_requests", "can_see_transaction_request_types",
        "can_update_bank_account_label", "can_see_views_with_permissions_for_one_user",
        "can_see_views_with_permissions_for_all_users",
    ]

    static let customViewManagement = [
        "can_revoke_access_to_custom_views", "can_grant_access_to_custom_views", "can_create_custom_view",
        "can_delete_custom_view", "can_update_custom_view", "can_get_custom_view",
    ]

    static func view(_ id: String, _ permissions: [String], grants: [String] = []) -> ObpView {
        // OBP names a system view by its id capitalised and describes it by its id.
        ObpView(
            id: id, shortName: id.prefix(1).uppercased() + id.dropFirst(), description: id, metadataView: id, isSystem: true,
            permissions: permissions, canGrantAccessToViews: grants, canRevokeAccessToViews: grants)
    }

    public static let all: [String: ObpView] = {
        let views = [
            view("owner", base + ownerExtras, grants: grantableByOwner),
            view("standard", base + ownerExtras, grants: grantableByOwner),
            view("accountant", base),
            view("auditor", base),
            view("firehose", base),
            view("ManageCustomViews", base + customViewManagement),
            view(
                "StageOne",
                base.filter {
                    !["can_see_transaction_description", "can_add_transaction_request_to_any_account",
                      "can_add_transaction_request_to_beneficiary"].contains($0)
                }),
        ]
        return Dictionary(uniqueKeysWithValues: views.map { ($0.id, $0) })
    }()

    public static func view(_ id: String) -> ObpView? { all[id] }
}
