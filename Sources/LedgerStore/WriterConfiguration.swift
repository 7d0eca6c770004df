import LedgerCore

/// Bounds of the group-commit writer.
public struct WriterConfiguration: Sendable {
    /// Most commands committed together. 1 means one commit (one fsync) per command.
    public var batchSizeMax: Int
    /// How long the writer lingers for more commands before committing a batch that is not full
    /// (a batch that fills commits at once). 0, the default, never waits: commands that arrive
    /// while a batch commits form the next one.
    public var batchWaitUs: Int
    /// Commands waiting beyond this are refused with `overloaded` instead of queueing without end.
    public var queueLengthMax: Int

    public static let batchSizeMaxBounds = SettingBounds(default: 256, range: 1...65_536)
    /// A second at most: longer would hold every writer's answer that long.
    public static let batchWaitUsBounds = SettingBounds(default: 0, range: 0...1_000_000)
    public static let queueLengthMaxBounds = SettingBounds(default: 10_000, range: 1...10_000_000)

    public init(
        batchSizeMax: Int = Int(WriterConfiguration.batchSizeMaxBounds.defaultValue),
        batchWaitUs: Int = Int(WriterConfiguration.batchWaitUsBounds.defaultValue),
        queueLengthMax: Int = Int(WriterConfiguration.queueLengthMaxBounds.defaultValue)
    ) {
        self.batchSizeMax = max(1, batchSizeMax)
        self.batchWaitUs = max(0, batchWaitUs)
        self.queueLengthMax = max(1, queueLengthMax)
    }
}
