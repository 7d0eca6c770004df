/// A numeric setting's default and the values it may take, declared once beside the setting so
/// the configuration, its help text and the README table all quote the same numbers.
public struct SettingBounds: Sendable, Hashable {
    public let defaultValue: Int64
    public let range: ClosedRange<Int64>

    public init(default defaultValue: Int64, range: ClosedRange<Int64>) {
        precondition(range.contains(defaultValue), "a default outside its own range")
        self.defaultValue = defaultValue
        self.range = range
    }
}
