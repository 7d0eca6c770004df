/// Bounds of the group-commit writer.
public struct WriterConfiguration: Sendable {
    /// Most commands committed together. 1 means one commit (one fsync) per command.
    public var batchSizeMax: Int
    /// How long the writer lingers for more commands before committing a batch that is not full
    /// (a batch that fills commits at once). 0, the default, never waits: commands that arrive
    /// while a batch commits form the next one.
    public var batchWaitMicros: Int
    /// Commands waiting beyond this are refused with `overloaded` instead of queueing without end.
    public var queueLengthMax: Int

    public init(batchSizeMax: Int = 256, batchWaitMicros: Int = 0, queueLengthMax: Int = 10_000) {
        self.batchSizeMax = max(1, batchSizeMax)
        self.batchWaitMicros = max(0, batchWaitMicros)
        self.queueLengthMax = max(1, queueLengthMax)
    }
}
