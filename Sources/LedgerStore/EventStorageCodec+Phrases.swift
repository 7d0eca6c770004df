import Foundation

extension PhraseTable {
    /// Format 1's table: /schema/event_phrases_v1.json, a JSON array of strings, entry 0 first.
    /// Frozen like a shipped migration: rows written with it are read with it forever; a new
    /// table is a new format byte and a new file. Compiled in, so a test catches a bad file.
    static let version1: PhraseTable = {
        do {
            return PhraseTable(try JSONDecoder().decode([String].self, from: Data(PackageResources.event_phrases_v1_json)))
        } catch {
            fatalError("schema/event_phrases_v1.json is not a JSON array of strings: \(error)")
        }
    }()
}
