import Foundation

/// An OBP-API error: its code, message and HTTP status as OBP answers them
/// (`ErrorMessages.scala`, OpenBankProject/OBP-API), so OBP clients can match on the code. The
/// cases are in the order the entitlement and account-access rules check them.
public struct ObpError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable, CaseIterable {
        case notLoggedIn = "OBP-20001"
        case invalidJson = "OBP-10001"
        case invalidRoleName = "OBP-10007"
        case entitlementIsBankRole = "OBP-30205"
        case entitlementIsSystemRole = "OBP-30206"
        case bankNotFound = "OBP-30001"
        case accountNotFound = "OBP-30018"
        case missingRoles = "OBP-20006"
        case userNotFound = "OBP-20005"
        case entitlementAlreadyExists = "OBP-30216"
        case entitlementNotFound = "OBP-30212"
        case userHasNoSuchEntitlement = "OBP-30213"
        case noViewAccess = "OBP-20017"
        case systemViewNotFound = "OBP-30252"
        case viewNotFound = "OBP-30005"
        case cannotGrantSystemView = "OBP-20084"
        case cannotGrantCustomView = "OBP-20085"
        case cannotRevokeSystemView = "OBP-20086"
        case cannotRevokeCustomView = "OBP-20087"
        case cannotGrantAccess = "OBP-30063"
        case cannotRevokeAccess = "OBP-30064"
        case cannotFindAccountAccess = "OBP-30065"
        case entitlementCannotBeGranted = "OBP-30220"
        case invalidDAuthProvider = "OBP-20103"
        case dauthNotAllowedAddress = "OBP-20069"
        case dauthTokenInvalid = "OBP-20071"
        case dauthHeaderInvalid = "OBP-20072"
        case systemViewsCannotBeModified = "OBP-20021"
        case invalidCustomViewFormat = "OBP-20020"
        case viewDoesNotPermitAccess = "OBP-20022"
        case createCustomViewFailed = "OBP-30259"
        case customViewAlreadyExists = "OBP-30266"
        case deleteCustomViewFailed = "OBP-30256"
        case bankAlreadyExists = "OBP-34000"
        case accountAlreadyExists = "OBP-30208"
        case initialBalanceMustBeZero = "OBP-30109"
        case invalidAccountId = "OBP-30110"
        case userAlreadyExists = "OBP-USER-EXISTS"
        case invalidValue = "OBP-10035"
        case invalidDate = "OBP-10005"
        case notFound = "OBP-10404"
        case methodNotAllowed = "OBP-10405"
        case bodyTooLarge = "OBP-10413"
        case unavailable = "OBP-50005"
        case unknown = "OBP-50000"

        /// OBP's message, which starts with the code.
        public var message: String {
            switch self {
            case .notLoggedIn: "OBP-20001: User not logged in. Authentication is required!"
            case .invalidJson: "OBP-10001: Incorrect json format."
            case .invalidRoleName: "OBP-10007: Incorrect Role name:"
            case .entitlementIsBankRole: "OBP-30205: This entitlement is a Bank Role. Please set bank_id to a valid bank id."
            case .entitlementIsSystemRole: "OBP-30206: This entitlement is a System Role. Please set bank_id to empty string."
            case .bankNotFound: "OBP-30001: Bank not found. Please specify a valid value for BANK_ID."
            case .accountNotFound: "OBP-30018: Bank Account not found. Please specify valid values for BANK_ID and ACCOUNT_ID."
            case .missingRoles: "OBP-20006: User is missing one or more roles:"
            case .userNotFound: "OBP-20005: User not found. Please specify a valid value for USER_ID."
            case .entitlementAlreadyExists: "OBP-30216: Entitlement already exists for the user."
            case .entitlementNotFound: "OBP-30212: EntitlementId not found"
            case .userHasNoSuchEntitlement: "OBP-30213: USER_ID does not have the ENTITLEMENT_ID."
            case .noViewAccess: "OBP-20017: Current user does not have access to the view. Please specify a valid value for VIEW_ID."
            case .systemViewNotFound: "OBP-30252: System view not found. Please specify a valid value for VIEW_ID"
            case .viewNotFound: "OBP-30005: View not found for Account. Please specify a valid value for VIEW_ID"
            case .cannotGrantSystemView: "OBP-20084: The current source view.can_grant_access_to_views does not contains target view."
            case .cannotGrantCustomView: "OBP-20085: The current source view.can_grant_access_to_custom_views is false."
            case .cannotRevokeSystemView: "OBP-20086: The current source view.can_revoke_access_to_views does not contains target view."
            case .cannotRevokeCustomView: "OBP-20087: The current source view.can_revoke_access_to_custom_views is false."
            case .cannotGrantAccess: "OBP-30063: Cannot grant account access."
            case .cannotRevokeAccess: "OBP-30064: Cannot revoke account access."
            case .cannotFindAccountAccess: "OBP-30065: Cannot find account access."
            case .entitlementCannotBeGranted: "OBP-30220: Entitlement cannot be granted."
            case .invalidDAuthProvider: "OBP-20103: Invalid DAuth User Provider."
            case .dauthNotAllowedAddress: "OBP-20069: DAuth login can be done only from allowed addresses."
            case .dauthTokenInvalid: "OBP-20071: The DAuth JWT is corrupted/changed during a transport."
            case .dauthHeaderInvalid: "OBP-20072: DAuth Header value should be one single string."
            case .systemViewsCannotBeModified: "OBP-20021: System Views can not be modified. Only the created views can be modified."
            case .invalidCustomViewFormat: "OBP-20020: Custom view name/view_id must start with `_`. eg: _work, _life."
            case .viewDoesNotPermitAccess: "OBP-20022: View does not permit the access."
            case .createCustomViewFailed: "OBP-30259: Could not create the custom view"
            case .customViewAlreadyExists: "OBP-30266: The custom view is already exists."
            case .deleteCustomViewFailed: "OBP-30256: Could not delete the custom view"
            case .bankAlreadyExists: "OBP-34000: Bank Id already exists. Please specify a different value."
            case .accountAlreadyExists: "OBP-30208: Account_ID already exists at the Bank."
            case .initialBalanceMustBeZero: "OBP-30109: Initial Balance of Account must be Zero (0)."
            case .invalidAccountId:
                "OBP-30110: Invalid Account Id. The ACCOUNT_ID should only contain 0-9/a-z/A-Z/'-'/'.'/'_', the length should be smaller than 255."
            // OBP answers a duplicate username with this sentence and no code.
            case .userAlreadyExists: "User with the same username already exists."
            case .invalidValue: "OBP-10035: Incorrect json value."
            case .invalidDate: "OBP-10005: Invalid Date Format. Could not convert value to a Date."
            case .notFound: "OBP-10404: 404 Not Found. The server has not found anything matching the Request-URI."
            case .methodNotAllowed: "OBP-10405: Method Not Allowed for this URL."
            case .bodyTooLarge: "OBP-10413: Request Entity Too Large."
            case .unavailable: "OBP-50005: An unspecified or internal error occurred."
            case .unknown: "OBP-50000: Unknown Error."
            }
        }

        /// OBP's status for the code.
        public var status: Int {
            switch self {
            case .notLoggedIn, .dauthNotAllowedAddress, .dauthTokenInvalid, .dauthHeaderInvalid: 401
            case .missingRoles, .noViewAccess, .cannotGrantSystemView, .cannotGrantCustomView, .cannotRevokeSystemView,
                .cannotRevokeCustomView:
                403
            case .bankNotFound, .accountNotFound, .userNotFound, .entitlementNotFound, .notFound: 404
            case .userAlreadyExists: 409
            case .methodNotAllowed: 405
            case .bodyTooLarge: 413
            case .unavailable: 503
            case .unknown: 500
            default: 400
            }
        }
    }

    public var code: Code
    /// What follows OBP's message: the role name after OBP-10007, the roles after OBP-20006, a
    /// field's problem after OBP-10001.
    public var detail: String?
    /// OBP chooses the status where it checks, not per code (OBP-30001 is a 404 on a path's bank
    /// but a 400 for an entitlement's): the code's usual status unless the check says otherwise.
    public var status: Int

    public init(_ code: Code, _ detail: String? = nil, status: Int? = nil) {
        self.code = code
        self.detail = detail
        self.status = status ?? code.status
    }

    /// OBP joins the detail without a space after "Incorrect Role name:", with one elsewhere.
    public var message: String {
        guard let detail else { return code.message }
        return code == .invalidRoleName ? code.message + detail : "\(code.message) \(detail)"
    }

    public var description: String { message }

    /// As the writer records a refusal: the message carries the code, the rejection's kind the status.
    public var rejection: Rejection {
        let kind: Rejection.Code =
            switch status {
            case 404: .notFound
            case 403: .accessDenied
            case 409: .alreadyExists
            default: .invalidCommand
            }
        return Rejection(kind, message)
    }

    /// The OBP error a recorded refusal carries, when it carries one.
    public init?(rejection: Rejection) {
        guard let code = Code.allCases.first(where: { rejection.message.hasPrefix($0.message) }) else { return nil }
        self.code = code
        let rest = rejection.message.dropFirst(code.message.count).trimmingCharacters(in: .whitespaces)
        self.detail = rest.isEmpty ? nil : rest
        self.status =
            switch rejection.code {
            case .notFound: 404
            case .accessDenied: 403
            case .alreadyExists: 409
            default: 400
            }
    }
}
