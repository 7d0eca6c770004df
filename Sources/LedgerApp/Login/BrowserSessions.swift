import Foundation
import LedgerAuth
import Synchronization

/// A browser's login, after the redirect through the operator's login system: who, since when,
/// and the CSRF token its forms must carry.
package struct BrowserSession: Sendable, Equatable {
    package var id: String
    package var user: UserIdentity
    package var csrfToken: String
    package var expiresAt: Date
}

/// The pages' sessions, in memory: a session is a convenience over the operator's login (lost
/// on restart, the user logs in again), not a grant, so it is not an event. Bounded: when full,
/// expired sessions go first, then the oldest. The cookie carries the id; only its SHA-256 is
/// kept, so a memory dump shows no usable cookie.
package final class BrowserSessions: Sendable {
    package let lifetimeSec: Int64
    package let capacityMax: Int
    private let clock: @Sendable () -> Date
    private let sessions = Mutex<[String: BrowserSession]>([:])
    /// Wrong user codes per session and per address in the current minute (RFC 8628 §5.1:
    /// a user code is short, so guessing must be slow).
    private let wrongCodes = Mutex<[String: (minute: Int64, count: Int)]>([:])
    package let wrongUserCodesPerMinute: Int

    package init(
        lifetimeSec: Int64, capacityMax: Int = 10_000, wrongUserCodesPerMinute: Int = 5,
        clock: @escaping @Sendable () -> Date
    ) {
        self.lifetimeSec = lifetimeSec
        self.capacityMax = capacityMax
        self.clock = clock
        self.wrongUserCodesPerMinute = wrongUserCodesPerMinute
    }

    /// A new session for the user; its id is the cookie's value (shown once, here).
    package func start(_ user: UserIdentity) -> BrowserSession {
        let now = clock()
        let id = OAuthSecrets.make()
        let session = BrowserSession(
            id: id, user: user, csrfToken: OAuthSecrets.make(),
            expiresAt: now.addingTimeInterval(TimeInterval(lifetimeSec)))
        sessions.withLock { sessions in
            if sessions.count >= capacityMax {
                sessions = sessions.filter { $0.value.expiresAt > now }
                if sessions.count >= capacityMax, let oldest = sessions.min(by: { $0.value.expiresAt < $1.value.expiresAt }) {
                    sessions.removeValue(forKey: oldest.key)
                }
            }
            sessions[Self.key(id)] = session
        }
        return session
    }

    /// The live session a cookie names.
    package func session(_ id: String?) -> BrowserSession? {
        guard let id, (1...128).contains(id.utf8.count) else { return nil }
        let now = clock()
        return sessions.withLock { sessions in
            guard let session = sessions[Self.key(id)] else { return nil }
            guard session.expiresAt > now else {
                sessions.removeValue(forKey: Self.key(id))
                return nil
            }
            return session
        }
    }

    /// Logout.
    package func end(_ id: String?) {
        guard let id else { return }
        _ = sessions.withLock { $0.removeValue(forKey: Self.key(id)) }
    }

    /// Whether this session and address may try a user code now: fewer than the cap of wrong
    /// ones this minute from either.
    package func mayTryUserCode(session: BrowserSession, address: String?) -> Bool {
        let minute = Int64(clock().timeIntervalSince1970 / 60)
        return wrongCodes.withLock { counts in
            Self.codeKeys(session, address).allSatisfy { key in
                guard let entry = counts[key], entry.minute == minute else { return true }
                return entry.count < wrongUserCodesPerMinute
            }
        }
    }

    /// Counts a wrong user code against the session and the address.
    package func recordWrongUserCode(session: BrowserSession, address: String?) {
        let minute = Int64(clock().timeIntervalSince1970 / 60)
        wrongCodes.withLock { counts in
            // Bounded: entries of past minutes are worthless, so a full map starts over.
            if counts.count >= capacityMax { counts = counts.filter { $0.value.minute == minute } }
            if counts.count >= capacityMax { counts.removeAll() }
            for key in Self.codeKeys(session, address) {
                let entry: (minute: Int64, count: Int) = counts[key].flatMap { $0.minute == minute ? $0 : nil } ?? (minute, 0)
                counts[key] = (minute, entry.count + 1)
            }
        }
    }

    private static func codeKeys(_ session: BrowserSession, _ address: String?) -> [String] {
        ["session:" + key(session.id)] + (address.map { ["address:" + $0] } ?? [])
    }

    /// A form's CSRF token matches its session's, compared in constant time.
    package static func csrfMatches(_ session: BrowserSession, _ presented: String?) -> Bool {
        guard let presented else { return false }
        return OAuthSecrets.digestsMatch(session.csrfToken, presented)
    }

    private static func key(_ id: String) -> String { OAuthSecrets.sha256Hex(id) }
}

/// A stand-in for the operator's login system (`--dev-login`): signs a short-lived user token
/// for whatever user name is typed. Only the demo module implements it; production has none.
public protocol StandInLogin: Sendable {
    func userToken(subject: String) async throws -> String
}
