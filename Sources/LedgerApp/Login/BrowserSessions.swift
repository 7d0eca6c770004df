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
    /// The times of wrong user codes per session and per address within the last minute (RFC
    /// 8628 §5.1: a user code is short, so guessing must be slow). A sliding minute: a fixed one
    /// would let a guesser spend the cap twice around its boundary.
    private let wrongCodes = Mutex<[String: [Date]]>([:])
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

    /// Login tokens already turned into a session, by digest, until they expire: each signs in once.
    private let usedLoginTokens = Mutex<[String: Date]>([:])

    /// Whether this login token has not signed a browser in before; remembers it if so.
    package func firstUse(ofLoginToken token: String, expiresAt: Date) -> Bool {
        let now = clock()
        let digest = OAuthSecrets.sha256Hex(token)
        return usedLoginTokens.withLock { used in
            if used.count >= capacityMax { used = used.filter { $0.value > now } }
            // Still full of live tokens: refuse rather than forget one that could then be replayed.
            guard used[digest] == nil, used.count < capacityMax else { return false }
            used[digest] = expiresAt
            return true
        }
    }

    /// A new session for the user; its id is the cookie's value (shown once, here). The login's
    /// time is the token's `iat`, else now: the ID token's `auth_time` and `max_age` use the same.
    package func start(_ user: UserIdentity) -> BrowserSession {
        let now = clock()
        var user = user
        if user.authTime == nil { user.authTime = now }
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
    /// ones in the last minute from either.
    package func mayTryUserCode(session: BrowserSession, address: String?) -> Bool {
        let since = clock().addingTimeInterval(-60)
        return wrongCodes.withLock { times in
            Self.codeKeys(session, address).allSatisfy { key in
                (times[key]?.filter { $0 > since }.count ?? 0) < wrongUserCodesPerMinute
            }
        }
    }

    /// Counts a wrong user code against the session and the address.
    package func recordWrongUserCode(session: BrowserSession, address: String?) {
        let now = clock()
        let since = now.addingTimeInterval(-60)
        wrongCodes.withLock { times in
            // Bounded: times older than a minute are worthless, so a full map keeps only live ones.
            if times.count >= capacityMax { times = times.filter { $0.value.contains { $0 > since } } }
            if times.count >= capacityMax { times.removeAll() }
            for key in Self.codeKeys(session, address) {
                // At most the cap's worth per key: older ones cannot matter any more.
                times[key] = Array(((times[key] ?? []).filter { $0 > since } + [now]).suffix(wrongUserCodesPerMinute))
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
