/// How the trail knows a user as a subject: which claim of the operator's user JWT names them,
/// and as what kind of id, so they may read their own overview (NEN 7513 ch. 9).
public struct AuditSettings: Sendable, Equatable {
    /// BSN, the Dutch citizen service number: the subject id a patient's records carry.
    public static let bsnIdType = "urn:oid:2.16.840.1.113883.2.4.6.3"

    /// The claim holding the user's subject id (e.g. `bsn`); nil: a user may read only the
    /// records about them as a user of the ledger (`user/<sub>`).
    public var subjectClaim: String?
    public var subjectIdType: String

    public init(subjectClaim: String? = nil, subjectIdType: String = AuditSettings.bsnIdType) {
        self.subjectClaim = subjectClaim
        self.subjectIdType = subjectIdType
    }
}
