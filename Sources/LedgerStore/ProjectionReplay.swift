import Foundation
import GRDB
import LedgerCore

/// A projection's rows as a replay builds them: it may hold rows in memory while later events
/// change them, and write each once, instead of an `UPDATE` per event. What it holds must be
/// bounded (it writes all it holds when it holds too many), and what it writes must be the rows
/// `apply` would have left: `ReplayFoldTests` compares the two for every projection that folds.
public protocol ReplayFold: AnyObject {
    func apply(_ event: RecordedEvent, typed: (any DomainEvent)?, _ db: Database) throws
    /// Writes every row held; the replay calls it once its last event is applied.
    func flush(_ db: Database) throws
}

/// Every projection applied to a replay's events, each by its fold where it has one. Used by
/// `replay`, `replay --until --out`, `verify`'s scratch replay and the migrations' rebuild: nothing
/// reads a projection while a replay writes it, so rows held back are seen by no one until
/// `finish` writes them.
public final class ProjectionReplay {
    private let steps: [Step]

    private enum Step {
        case apply(any Projection)
        case fold(any ReplayFold)
    }

    init(_ projections: Projections) {
        steps = projections.all.map { projection in projection.makeReplayFold().map(Step.fold) ?? .apply(projection) }
    }

    public func apply(_ event: RecordedEvent, _ db: Database) throws {
        // Each step read where the array holds it: iterating copied each step out (a retain and
        // a release of its projection or fold), ten a replayed event, 2 % of the replaying
        // thread's samples in `perf`.
        try steps.withUnsafeBufferPointer { steps in
            for index in steps.indices {
                switch steps[index] {
                case .apply(let projection): try projection.apply(event, typed: event.domainEvent, db)
                case .fold(let fold): try fold.apply(event, typed: event.domainEvent, db)
                }
            }
        }
    }

    /// Writes what the folds hold: before anything reads the projections (their checksums).
    public func finish(_ db: Database) throws {
        for case .fold(let fold) in steps { try fold.flush(db) }
    }
}

extension Projections {
    /// A replay of these projections from empty tables (or from rows a replay itself wrote).
    public func replaying() -> ProjectionReplay { ProjectionReplay(self) }
}

/// A text as a fold's dictionary key, equal to another only when their UTF-8 bytes are: as
/// SQLite compares a key. Swift's `String` equality is canonical equivalence ("é" precomposed
/// equals "e" and a combining accent, "K" equals the Kelvin sign), so two terms SQLite keeps
/// apart would share one entry.
struct ByteKey: Hashable {
    let text: String

    init(_ text: String) { self.text = text }

    /// Compared with `memcmp`: `utf8.elementsEqual` walked both a byte at a time through their
    /// iterators, 5.6 % of a replay's applying thread in `perf` (the folds look keys up per event).
    /// Lengths first (a native string keeps its UTF-8 count): most keys compared differ in length,
    /// and reaching the bytes of both costs two closures.
    /// Inlined where keys are compared (a dictionary's probes, the trail fold's recent terms), so
    /// that keys of other lengths cost a compare of two counts and no call.
    @inline(__always)
    static func == (a: ByteKey, b: ByteKey) -> Bool {
        a.text.utf8.count == b.text.utf8.count && sameBytes(a, b)
    }

    /// Each text's bytes read where it keeps them (`withContiguousStorageIfAvailable` needs no
    /// copy of the string; `withUTF8` is mutating, and the copies it was called on were a retain
    /// and a release of each text, 2.5 % of a replay's applying thread in `perf`). A text without
    /// contiguous UTF-8 (bridged: never one a fold makes) goes through `withUTF8`.
    private static func sameBytes(_ a: ByteKey, _ b: ByteKey) -> Bool {
        let compared = a.text.utf8.withContiguousStorageIfAvailable { first in
            b.text.utf8.withContiguousStorageIfAvailable { second in sameBytes(first, second) }
        }
        if case .some(.some(let compared)) = compared { return compared }
        var first = a.text
        var second = b.text
        return first.withUTF8 { first in second.withUTF8 { second in sameBytes(first, second) } }
    }

    private static func sameBytes(_ first: UnsafeBufferPointer<UInt8>, _ second: UnsafeBufferPointer<UInt8>) -> Bool {
        first.count == second.count
            && (first.isEmpty || memcmp(first.baseAddress!, second.baseAddress!, first.count) == 0)
    }

    /// Over the same contiguous bytes `==` compares, so equal keys always hash alike.
    func hash(into hasher: inout Hasher) {
        let hashed: Void? = text.utf8.withContiguousStorageIfAvailable {
            hasher.combine(bytes: UnsafeRawBufferPointer($0))
        }
        if hashed != nil { return }
        var text = self.text
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
