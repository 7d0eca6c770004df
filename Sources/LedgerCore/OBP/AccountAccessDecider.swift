import Foundation

/// A grant or revoke of account access as the request gave it: which user gets which view.
public struct AccountAccessRequest: Sendable, Equatable {
    public var userId: String?
    public var viewId: String?

    public init(userId: String?, viewId: String?) {
        self.userId = userId
        self.viewId = viewId
    }
}

/// What granting or revoking account access depends on, read in the writer.
public struct AccountAccessState: Sendable {
    public var caller: ObpCaller
    public var bankExists: Bool
    public var account: ObpAccount?
    /// The view the caller acts through (the path's VIEW_ID), when the caller has access to it.
    public var sourceView: ObpView?
    /// The view to grant or revoke, when it exists on this account.
    public var targetView: ObpView?
    public var targetUserExists: Bool
    /// The target user's live access to the target view, if any.
    public var existing: AccountAccess?

    public init(
        caller: ObpCaller, bankExists: Bool, account: ObpAccount?, sourceView: ObpView?, targetView: ObpView?,
        targetUserExists: Bool, existing: AccountAccess?
    ) {
        self.caller = caller
        self.bankExists = bankExists
        self.account = account
        self.sourceView = sourceView
        self.targetView = targetView
        self.targetUserExists = targetUserExists
        self.existing = existing
    }
}

/// Who may hand out a view, in OBP v5.1.0's order (`grantUserAccessToViewById`,
/// `APIUtil.canGrantAccessToView`): OBP-30001 → OBP-30018 → OBP-20017 (the caller has no access
/// to the source view, the path's VIEW_ID) → OBP-10001 → OBP-20084 (a system view not in the
/// source view's `can_grant_access_to_views`) / OBP-20085 (a custom view, and the source view's
/// `can_grant_access_to_custom_views` is false) → OBP-20005 (no such user) → OBP-30252/30005 (no
/// such target view). Whether the target is a system view is read from its id, as OBP does. The
/// admin credential skips the view rules: it bootstraps the first grants.
public enum AccountAccessDecider {
    public struct Validated: Sendable, Equatable {
        public var userId: String
        public var viewId: String
    }

    public static func validate(_ request: AccountAccessRequest) -> Result<Validated, ObpError> {
        guard let userId = request.userId, let viewId = request.viewId, !userId.isEmpty, !viewId.isEmpty else {
            return .failure(ObpError(.invalidJson, "user_id and view_id are required"))
        }
        return .success(Validated(userId: userId, viewId: viewId))
    }

    /// The checks before the request's body: the place, and the caller's own view.
    static func preamble(_ state: AccountAccessState, sourceViewId: String) -> ObpError? {
        if !state.bankExists { return ObpError(.bankNotFound) }
        if state.account == nil { return ObpError(.accountNotFound) }
        if state.caller != .admin && state.sourceView == nil {
            return ObpError(.noViewAccess, "Current ViewId is \(sourceViewId)")
        }
        return nil
    }

    static func suffix(_ sourceViewId: String, _ targetViewId: String) -> String {
        "Current source viewId(\(sourceViewId)) and target viewId (\(targetViewId))"
    }

    /// `APIUtil.canGrantAccessToView` / `canRevokeAccessToView`: a system target must be in the
    /// source view's list, a custom one needs the source view's custom-view permission.
    public static func permits(_ source: ObpView, targetViewId: String, grant: Bool) -> Bool {
        if ObpView.isCustomId(targetViewId) {
            return source.allows(grant ? ObpViewPermissions.grantAccessToCustomViews : ObpViewPermissions.revokeAccessToCustomViews)
        }
        return (grant ? source.canGrantAccessToViews : source.canRevokeAccessToViews).contains(targetViewId)
    }

    /// The refusal when `permits` says no: OBP-20084/20085 (grant) or 20086/20087 (revoke).
    public static func refusal(sourceViewId: String, targetViewId: String, grant: Bool) -> ObpError {
        let custom = ObpView.isCustomId(targetViewId)
        let code: ObpError.Code =
            grant ? (custom ? .cannotGrantCustomView : .cannotGrantSystemView)
            : (custom ? .cannotRevokeCustomView : .cannotRevokeSystemView)
        return ObpError(code, suffix(sourceViewId, targetViewId))
    }

    static func permits(_ state: AccountAccessState, targetViewId: String, grant: Bool) -> Bool {
        guard state.caller != .admin, let source = state.sourceView else { return true }
        return permits(source, targetViewId: targetViewId, grant: grant)
    }

    static func targetMissing(_ viewId: String) -> ObpError {
        ObpView.isCustomId(viewId) ? ObpError(.viewNotFound) : ObpError(.systemViewNotFound, "Current ViewId is ViewId(\(viewId))")
    }

    public static func grant(
        _ request: AccountAccessRequest, sourceViewId: String, state: AccountAccessState, accessId: String
    ) -> Result<[AccountAccessGranted], ObpError> {
        if let error = preamble(state, sourceViewId: sourceViewId) { return .failure(error) }
        let validated: Validated
        switch validate(request) {
        case .failure(let error): return .failure(error)
        case .success(let value): validated = value
        }
        guard permits(state, targetViewId: validated.viewId, grant: true) else {
            return .failure(refusal(sourceViewId: sourceViewId, targetViewId: validated.viewId, grant: true))
        }
        guard state.targetUserExists else { return .failure(ObpError(.userNotFound, "Current USER_ID(\(validated.userId))")) }
        guard let target = state.targetView, let account = state.account else { return .failure(targetMissing(validated.viewId)) }
        // Granting what is held already changes nothing: OBP answers the view again.
        if state.existing != nil { return .success([]) }
        return .success([
            AccountAccessGranted(
                accessId: accessId, bankId: account.bankId, accountId: account.id, viewId: target.id, userId: validated.userId)
        ])
    }

    /// The same order for revoking, with `can_revoke_access_to_views` (OBP-20086) and
    /// `can_revoke_access_to_custom_views` (OBP-20087); then OBP-30065 when the user has no such
    /// access, and OBP-30064 for the holder's own `owner` access, which is never let go.
    public static func revoke(_ request: AccountAccessRequest, sourceViewId: String, state: AccountAccessState)
        -> Result<[AccountAccessRevoked], ObpError>
    {
        if let error = preamble(state, sourceViewId: sourceViewId) { return .failure(error) }
        let validated: Validated
        switch validate(request) {
        case .failure(let error): return .failure(error)
        case .success(let value): validated = value
        }
        guard permits(state, targetViewId: validated.viewId, grant: false) else {
            return .failure(refusal(sourceViewId: sourceViewId, targetViewId: validated.viewId, grant: false))
        }
        guard state.targetUserExists else { return .failure(ObpError(.userNotFound, "Current USER_ID(\(validated.userId))")) }
        guard state.targetView != nil, let account = state.account else { return .failure(targetMissing(validated.viewId)) }
        guard let existing = state.existing else { return .failure(ObpError(.cannotFindAccountAccess)) }
        if existing.viewId == ObpSystemViews.ownerId && existing.userId == account.holderUserId {
            return .failure(ObpError(.cannotRevokeAccess, "The account holder's owner access cannot be revoked."))
        }
        return .success([
            AccountAccessRevoked(
                accessId: existing.id, bankId: existing.bankId, accountId: existing.accountId, viewId: existing.viewId,
                userId: existing.userId)
        ])
    }
}

/// Creating, changing and deleting custom views, as OBP does: the caller needs a view on the
/// account that allows it (`can_create_custom_view`, … on any of its views; OBP-20022), or the
/// admin credential. System views are fixed by the build.
public enum ObpViewDecider {
    /// The permissions only a system view may carry: OBP applies them to system views only.
    public static let systemOnlyPermissions: Set<String> = [
        ObpViewPermissions.grantAccessToCustomViews, ObpViewPermissions.revokeAccessToCustomViews,
        ObpViewPermissions.createCustomView, ObpViewPermissions.updateCustomView, ObpViewPermissions.deleteCustomView,
        ObpViewPermissions.getCustomView,
    ]

    /// A custom view as OBP keeps one: without the system-only permissions and grant lists.
    public static func custom(_ view: ObpView) -> ObpView {
        var view = view
        view.isSystem = false
        view.permissions = view.permissions.filter { !systemOnlyPermissions.contains($0) }
        view.canGrantAccessToViews = []
        view.canRevokeAccessToViews = []
        return view
    }

    static func permitted(_ permission: String, _ callerViews: [ObpView], _ caller: ObpCaller) -> ObpError? {
        guard caller != .admin, !callerViews.contains(where: { $0.allows(permission) }) else { return nil }
        return ObpError(.viewDoesNotPermitAccess, "You need the `\(permission)` permission on any your views")
    }

    /// Custom views one account may have: each is listed whole on `GET …/views`.
    public static let customViewsPerAccountMax = 100

    public static func create(
        _ view: ObpView, existing: ObpView?, callerViews: [ObpView], caller: ObpCaller, customViewCount: Int = 0
    ) -> Result<[ObpViewSaved], ObpError> {
        guard ObpView.isCustomId(view.id) else {
            return .failure(ObpError(.invalidCustomViewFormat, "Current view_name (\(view.shortName))"))
        }
        if let error = permitted(ObpViewPermissions.createCustomView, callerViews, caller) { return .failure(error) }
        guard existing == nil else {
            return .failure(ObpError(.createCustomViewFailed, "<- " + ObpError.Code.customViewAlreadyExists.message))
        }
        guard customViewCount < customViewsPerAccountMax else {
            return .failure(ObpError(.createCustomViewFailed, "An account has at most \(customViewsPerAccountMax) custom views."))
        }
        return .success([ObpViewSaved(view: custom(view), created: true)])
    }

    public static func update(_ view: ObpView, existing: ObpView?, callerViews: [ObpView], caller: ObpCaller)
        -> Result<[ObpViewSaved], ObpError>
    {
        guard ObpView.isCustomId(view.id) else { return .failure(ObpError(.systemViewsCannotBeModified)) }
        guard existing != nil else { return .failure(ObpError(.viewNotFound)) }
        if let error = permitted(ObpViewPermissions.updateCustomView, callerViews, caller) { return .failure(error) }
        let next = custom(view)
        if existing == next { return .success([]) }
        return .success([ObpViewSaved(view: next, created: false)])
    }

    /// OBP refuses to delete a view someone still has access through (OBP-30256).
    public static func delete(
        bankId: String, accountId: String, viewId: String, existing: ObpView?, inUse: Bool, callerViews: [ObpView],
        caller: ObpCaller
    ) -> Result<[ObpViewDeleted], ObpError> {
        guard ObpView.isCustomId(viewId) else {
            return .failure(ObpError(.invalidCustomViewFormat, "Current view_name (\(viewId))"))
        }
        guard existing != nil else { return .failure(ObpError(.viewNotFound)) }
        if let error = permitted(ObpViewPermissions.deleteCustomView, callerViews, caller) { return .failure(error) }
        guard !inUse else { return .failure(ObpError(.deleteCustomViewFailed, "Account Access record uses this View.")) }
        return .success([ObpViewDeleted(bankId: bankId, accountId: accountId, viewId: viewId)])
    }
}
