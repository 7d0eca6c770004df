import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import LedgerCore
import Mustache
import NIOCore

/// The server-rendered pages (login stand-in, consent, device, account): Mustache templates
/// compiled into the binary, no JavaScript, no external assets. Every page forbids framing and
/// everything its Content-Security-Policy does not name; its one stylesheet is inline and
/// allowed by its hash.
struct Pages: Sendable {
    let library: MustacheLibrary

    /// The only style of every page; the CSP allows exactly this text.
    static let css = """
        body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f5f5f4;color:#1c1917}\
        main{max-width:36rem;margin:2rem auto;padding:1.5rem;background:#fff;border-radius:8px;\
        box-shadow:0 1px 3px #0002}footer{text-align:center;color:#78716c;font-size:.8rem;margin:1rem}\
        h1{font-size:1.4rem;margin:.2rem 0 1rem}h2{font-size:1.1rem;margin:0}\
        header.client{display:flex;gap:.8rem;align-items:center}code{background:#f5f5f4;padding:0 .3rem;\
        border-radius:4px}ul.scopes{padding-left:1.2rem}dl{display:grid;grid-template-columns:auto 1fr;\
        gap:.3rem 1rem}dt{font-weight:600}dd{margin:0}label{display:block;font-weight:600;margin:.5rem 0 .2rem}\
        input{font:inherit;padding:.4rem;width:100%;box-sizing:border-box;border:1px solid #a8a29e;\
        border-radius:4px}button{font:inherit;padding:.5rem 1.2rem;margin:.8rem .5rem 0 0;border:0;\
        border-radius:4px;background:#1d4ed8;color:#fff;cursor:pointer}button.secondary,button.revoke\
        {background:#e7e5e4;color:#1c1917}.error{color:#b91c1c}.note{color:#57534e;font-size:.9rem}\
        section.connection{border-top:1px solid #e7e5e4;padding:1rem 0}section.revoked{opacity:.6}\
        meter{width:100%}
        """
    static let styleHash = "'sha256-\(Data(SHA256.hash(data: Data(css.utf8))).base64EncodedString())'"

    init() throws {
        var library = MustacheLibrary()
        let templates: [(String, [UInt8])] = [
            ("layout", PackageResources.layout_mustache), ("consent", PackageResources.consent_mustache),
            ("device", PackageResources.device_mustache), ("account", PackageResources.account_mustache),
            ("message", PackageResources.message_mustache), ("login", PackageResources.login_mustache),
            ("employeeid", PackageResources.employeeid_mustache),
        ]
        for (name, bytes) in templates { try library.register(String(decoding: bytes, as: UTF8.self), named: name) }
        self.library = library
    }

    /// What a page's policy allows beyond its own origin's forms.
    struct Policy {
        /// Origins the page's form may end up at (a consent form redirects to the client).
        var formTargets: [String] = []
        /// The one origin an image may come from (the client's https logo).
        var imageOrigin: String?
    }

    /// A page with its security headers; never cached, since each carries a session's CSRF token.
    func render(
        _ template: String, _ context: [String: Any], status: HTTPResponse.Status = .ok, policy: Policy = Policy(),
        headers extra: HTTPFields = [:]
    ) -> Response {
        var context = context
        context["css"] = Self.css
        let html = library.render(context, withTemplate: template) ?? "<!doctype html><p>page unavailable</p>"
        var headers = extra
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        headers[.contentSecurityPolicy] = Self.contentSecurityPolicy(policy)
        headers[.xFrameOptions] = "DENY"
        headers[.xContentTypeOptions] = "nosniff"
        headers[.referrerPolicy] = "no-referrer"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    static func contentSecurityPolicy(_ policy: Policy) -> String {
        let formAction = (["'self'"] + policy.formTargets).joined(separator: " ")
        var directives = [
            "default-src 'none'", "style-src \(styleHash)", "form-action \(formAction)", "frame-ancestors 'none'",
            "base-uri 'none'",
        ]
        if let image = policy.imageOrigin { directives.append("img-src \(image)") }
        return directives.joined(separator: "; ")
    }

    /// A short page that says what happened.
    func message(
        _ heading: String, _ text: String, status: HTTPResponse.Status = .ok, kind: String = "note",
        link: (href: String, label: String)? = nil, headers: HTTPFields = [:]
    ) -> Response {
        var context: [String: Any] = ["heading": heading, "text": text, "kind": kind]
        if let link { context["link"] = ["href": link.href, "label": link.label] }
        return render("message", context, status: status, headers: headers)
    }

    /// The origin a form may be redirected to, as CSP source: `https://host:port`, or `scheme:`
    /// for a native app's custom scheme.
    static func cspSource(ofURI uri: String) -> String? {
        guard let components = URLComponents(string: uri), let scheme = components.scheme?.lowercased() else {
            return nil
        }
        guard scheme == "http" || scheme == "https" else { return "\(scheme):" }
        guard let host = components.host, !host.isEmpty else { return nil }
        return "\(scheme)://\(host)" + (components.port.map { ":\($0)" } ?? "")
    }

    /// The client's logo is shown only from https, and only its origin is allowed.
    static func logoOrigin(_ url: String?) -> String? {
        guard let url, URLComponents(string: url)?.scheme?.lowercased() == "https" else { return nil }
        return cspSource(ofURI: url)
    }

    /// "2026-11-30 10:15 UTC": one unambiguous format on every page.
    static func time(_ ms: Int64) -> String {
        // RFC3339 gives `2026-11-30T10:15:00.000Z`: keep the minute, say the zone in words.
        RFC3339.string(unixMs: ms).prefix(16).replacingOccurrences(of: "T", with: " ") + " UTC"
    }
}

extension HTTPField.Name {
    static let contentSecurityPolicy = Self("Content-Security-Policy")!
    static let xFrameOptions = Self("X-Frame-Options")!
    static let xContentTypeOptions = Self("X-Content-Type-Options")!
    static let referrerPolicy = Self("Referrer-Policy")!
}
