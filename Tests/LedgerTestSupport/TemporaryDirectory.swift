import Foundation

/// A fresh directory under the system's temporary folder, for a test's ledger, keys and files.
public enum TemporaryDirectory {
    public static func make(_ prefix: String = "gl") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
