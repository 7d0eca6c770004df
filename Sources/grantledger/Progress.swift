import Foundation

/// Progress of a long walk over the log, on stderr so stdout stays machine-readable.
final class Progress: Sendable {
    let label: String
    let total: Int64
    let unit: String
    let started = Date()

    init(label: String, total: Int64, unit: String = "events") {
        self.label = label
        self.total = total
        self.unit = unit
    }

    var report: @Sendable (Int64) -> Void {
        { [self] done in
            let seconds = max(Date().timeIntervalSince(started), 0.001)
            let percent = total > 0 ? Double(done) * 100 / Double(total) : 100
            FileHandle.standardError.write(
                Data(
                    String(
                        format: "\r%@ %lld/%lld %@ (%.0f%%, %.0f %@/s)", label, done, total, unit, percent,
                        Double(done) / seconds, unit
                    ).utf8))
        }
    }

    func finish() {
        if total >= 100_000 { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
