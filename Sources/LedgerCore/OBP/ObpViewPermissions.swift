/// The permission flags of an OBP view (`ViewDefinition.scala` and the v5.1.0 view JSON,
/// OpenBankProject/OBP-API): a view grants a permission when its flag is true. Copied as data so
/// the names clients send and read stay OBP's; anything else is refused as unknown.
public enum ObpViewPermissions {
    /// Every boolean permission, sorted.
    /// Every boolean permission, sorted: those the view JSON shows and those it never does.
    public static let all: [String] = (inViewJSON + notInViewJSON).sorted()

    public static let known: Set<String> = Set(all)

    /// `ViewDefinition` permissions OBP keeps but never shows in view JSON.
    public static let notInViewJSON: [String] = [
        "can_add_transaction_request_to_beneficiary",
        "can_create_custom_view",
        "can_delete_counterparty",
        "can_delete_custom_view",
        "can_get_counterparty",
        "can_get_custom_view",
        "can_grant_access_to_custom_views",
        "can_revoke_access_to_custom_views",
        "can_see_available_views_for_bank_account",
        "can_see_bank_account_bank_permalink",
        "can_see_transaction_request_types",
        "can_see_transaction_requests",
        "can_see_views_with_permissions_for_all_users",
        "can_see_views_with_permissions_for_one_user",
        "can_update_bank_account_label",
        "can_update_custom_view",
    ]

    /// The booleans a view's JSON carries (`ViewJsonV300`/`V500`), in OBP's order; the others
    /// (`can_grant_access_to_custom_views`, `can_create_custom_view`, …) it never shows.
    public static let inViewJSON: [String] = [
        "can_add_comment",
        "can_add_corporate_location",
        "can_add_image",
        "can_add_image_url",
        "can_add_more_info",
        "can_add_open_corporates_url",
        "can_add_physical_location",
        "can_add_private_alias",
        "can_add_public_alias",
        "can_add_tag",
        "can_add_url",
        "can_add_where_tag",
        "can_delete_comment",
        "can_add_counterparty",
        "can_delete_corporate_location",
        "can_delete_image",
        "can_delete_physical_location",
        "can_delete_tag",
        "can_delete_where_tag",
        "can_edit_owner_comment",
        "can_see_bank_account_balance",
        "can_query_available_funds",
        "can_see_bank_account_bank_name",
        "can_see_bank_account_currency",
        "can_see_bank_account_iban",
        "can_see_bank_account_label",
        "can_see_bank_account_national_identifier",
        "can_see_bank_account_number",
        "can_see_bank_account_owners",
        "can_see_bank_account_swift_bic",
        "can_see_bank_account_type",
        "can_see_comments",
        "can_see_corporate_location",
        "can_see_image_url",
        "can_see_images",
        "can_see_more_info",
        "can_see_open_corporates_url",
        "can_see_other_account_bank_name",
        "can_see_other_account_iban",
        "can_see_other_account_kind",
        "can_see_other_account_metadata",
        "can_see_other_account_national_identifier",
        "can_see_other_account_number",
        "can_see_other_account_swift_bic",
        "can_see_owner_comment",
        "can_see_physical_location",
        "can_see_private_alias",
        "can_see_public_alias",
        "can_see_tags",
        "can_see_transaction_amount",
        "can_see_transaction_balance",
        "can_see_transaction_currency",
        "can_see_transaction_description",
        "can_see_transaction_finish_date",
        "can_see_transaction_metadata",
        "can_see_transaction_other_bank_account",
        "can_see_transaction_start_date",
        "can_see_transaction_this_bank_account",
        "can_see_transaction_type",
        "can_see_url",
        "can_see_where_tag",
        "can_see_bank_routing_scheme",
        "can_see_bank_routing_address",
        "can_see_bank_account_routing_scheme",
        "can_see_bank_account_routing_address",
        "can_see_other_bank_routing_scheme",
        "can_see_other_bank_routing_address",
        "can_see_other_account_routing_scheme",
        "can_see_other_account_routing_address",
        "can_add_transaction_request_to_own_account",
        "can_add_transaction_request_to_any_account",
        "can_see_bank_account_credit_limit",
        "can_create_direct_debit",
        "can_create_standing_order",
    ]

    public static let grantAccessToCustomViews = "can_grant_access_to_custom_views"
    public static let revokeAccessToCustomViews = "can_revoke_access_to_custom_views"
    public static let seeViewsWithPermissionsForAllUsers = "can_see_views_with_permissions_for_all_users"
    public static let createCustomView = "can_create_custom_view"
    public static let updateCustomView = "can_update_custom_view"
    public static let deleteCustomView = "can_delete_custom_view"
    public static let getCustomView = "can_get_custom_view"
}
