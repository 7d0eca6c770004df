import LedgerCore

/// What the HTTP surface is bounded by.
public struct HTTPSettings: Sendable {
    public static let portBounds = SettingBounds(default: 8080, range: 0...65_535)
    public static let bodyBytesMaxBounds = SettingBounds(default: 64 * 1024, range: 1024...(16 << 20))
    public static let defaultBodyBytesMax = Int(bodyBytesMaxBounds.defaultValue)

    public var host: String
    public var port: Int
    public var bodyBytesMax: Int
    /// Most items one list request may return.
    public var pageSizeMax: Int

    public init(
        host: String = "127.0.0.1", port: Int = Int(HTTPSettings.portBounds.defaultValue), bodyBytesMax: Int = defaultBodyBytesMax, pageSizeMax: Int = 500
    ) {
        self.host = host
        self.port = port
        self.bodyBytesMax = bodyBytesMax
        self.pageSizeMax = pageSizeMax
    }
}
