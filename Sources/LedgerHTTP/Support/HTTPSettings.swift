import LedgerCore

/// What the HTTP surface is bounded by.
public struct HTTPSettings: Sendable {
    public static let portBounds = SettingBounds(default: 8080, range: 0...65_535)
    public static let bodyBytesMaxBounds = SettingBounds(default: 64 * 1024, range: 1024...(16 << 20))
    public static let defaultBodyBytesMax = Int(bodyBytesMaxBounds.defaultValue)
    /// `POST /audit/access` takes batches of up to 1,000 records.
    public static let auditBodyBytesMaxBounds = SettingBounds(default: 1 << 20, range: 1024...(64 << 20))

    public var host: String
    public var port: Int
    public var bodyBytesMax: Int
    /// Most items one list request may return.
    public var pageSizeMax: Int
    public var auditBodyBytesMax: Int

    public init(
        host: String = "127.0.0.1", port: Int = Int(HTTPSettings.portBounds.defaultValue), bodyBytesMax: Int = defaultBodyBytesMax, pageSizeMax: Int = 500,
        auditBodyBytesMax: Int = Int(HTTPSettings.auditBodyBytesMaxBounds.defaultValue)
    ) {
        self.auditBodyBytesMax = auditBodyBytesMax
        self.host = host
        self.port = port
        self.bodyBytesMax = bodyBytesMax
        self.pageSizeMax = pageSizeMax
    }
}
