import LedgerCore

// Hex is how the UMA Auth API spells hashes, preimages and pubkeys; the codec is LedgerCore's.
extension Sequence where Element == UInt8 {
    var hexString: String { Hex.encode(self) }
}
