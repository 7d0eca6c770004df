/// What the HTTP surface is bounded by.
public struct HTTPSettings: Sendable {
    public static let defaultBodyBytesMax = 64 * 1024

    public var host: String
    public var port: Int
    public var bodyBytesMax: Int
    /// Most items one list request may return.
    public var pageSizeMax: Int

    public init(
        host: String = "127.0.0.1", port: Int = 8080, bodyBytesMax: Int = defaultBodyBytesMax, pageSizeMax: Int = 500
    ) {
        self.host = host
        self.port = port
        self.bodyBytesMax = bodyBytesMax
        self.pageSizeMax = pageSizeMax
    }
}
