import Foundation

/// A routing address of a bank or an account (`{"scheme", "address"}`), e.g. BIC or IBAN.
public struct ObpRouting: Codable, Sendable, Equatable {
    public var scheme: String
    public var address: String

    public init(scheme: String, address: String) {
        self.scheme = scheme
        self.address = address
    }
}

/// A bank as OBP-API holds one (`PostBankJson500`). Created by the admin credential or a holder of
/// `CanCreateBank`; every change is an event, never an edited row.
public struct ObpBank: Codable, Sendable, Equatable {
    public var id: String
    public var bankCode: String
    public var fullName: String
    public var logo: String
    public var website: String
    public var routings: [ObpRouting]

    public init(id: String, bankCode: String, fullName: String, logo: String = "", website: String = "", routings: [ObpRouting] = []) {
        self.id = id
        self.bankCode = bankCode
        self.fullName = fullName
        self.logo = logo
        self.website = website
        self.routings = routings
    }

    enum CodingKeys: String, CodingKey {
        case id
        case bankCode = "bank_code"
        case fullName = "full_name"
        case logo, website, routings
    }

    /// OBP's bank ids (`checkShortString`): 4 to 16 of letters, digits, `-`, `.`, `_`.
    public static func isValidId(_ id: String) -> Bool {
        (4...16).contains(id.count) && ObpText.isValidId(id)
    }
}

/// A bank account: the thing views and account access are about. Its holder gets the `owner` view
/// when it is created.
public struct ObpAccount: Codable, Sendable, Equatable {
    public var bankId: String
    public var id: String
    public var holderUserId: String
    public var label: String
    public var productCode: String
    public var currency: String
    public var branchId: String
    public var routings: [ObpRouting]

    public init(
        bankId: String, id: String, holderUserId: String, label: String, productCode: String, currency: String,
        branchId: String = "", routings: [ObpRouting] = []
    ) {
        self.bankId = bankId
        self.id = id
        self.holderUserId = holderUserId
        self.label = label
        self.productCode = productCode
        self.currency = currency
        self.branchId = branchId
        self.routings = routings
    }

    enum CodingKeys: String, CodingKey {
        case bankId = "bank_id"
        case id
        case holderUserId = "holder_user_id"
        case label
        case productCode = "product_code"
        case currency
        case branchId = "branch_id"
        case routings
    }
}

/// What an id or a name on this surface may be: OBP's ids are short plain strings; ours are
/// bounded so a path or a body cannot carry anything a log line or an index should not.
public enum ObpText {
    public static let idBytesMax = 255
    public static let nameBytesMax = 255
    public static let descriptionBytesMax = 2000

    /// Bank, account and view ids: letters, digits, `.`, `_` and `-`.
    public static func isValidId(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= idBytesMax
            && id.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0)) }
    }

    /// Names, usernames, providers and labels: no control characters, at most `bytesMax` bytes.
    public static func isValidText(_ text: String, bytesMax: Int = nameBytesMax, allowEmpty: Bool = false) -> Bool {
        (allowEmpty || !text.trimmingCharacters(in: .whitespaces).isEmpty) && text.utf8.count <= bytesMax
            && !text.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
    }
}
