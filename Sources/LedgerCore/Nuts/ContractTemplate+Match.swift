extension ContractTemplate {
    /// The placeholders' values in `text`, as the node's template regexp reads them
    /// (`... on behalf of (.+) located in (.+). This declaration is valid from (.+) until (.+).`),
    /// but over the whole text and with the literal parts matched literally; nil when it does not match.
    ///
    /// The groups are greedy as in the regexp: each one runs to the last occurrence of the literal
    /// after it that still leaves every later group at least one byte. That is found right to left,
    /// one scan per literal, so the cost is linear in the text. A backtracking regex with four greedy
    /// groups is not: a 2 KB text made of the separators over and over, with no final period, took
    /// Swift Regex over 6 s of CPU to refuse.
    ///
    /// Like the regexp's `.`, a value never spans a line break; a text with one does not match.
    func values(in text: String) -> [String: String]? {
        // The shape this reads: literal, then (placeholder, literal) pairs; every template has it.
        guard parts.count >= 3, parts.count % 2 == 1 else { return nil }
        var literals: [[UInt8]] = []
        var names: [String] = []
        for (index, part) in parts.enumerated() {
            switch (part, index % 2) {
            case (.literal(let literal), 0) where !literal.isEmpty: literals.append(Array(literal.utf8))
            case (.placeholder(let name), 1): names.append(name)
            default: return nil
            }
        }
        guard !text.contains(where: \.isNewline) else { return nil }

        let bytes = Array(text.utf8)
        let head = literals[0]
        let tail = literals[literals.count - 1]
        guard bytes.count >= head.count + tail.count, bytes.starts(with: head),
            bytes.suffix(tail.count).elementsEqual(tail)
        else { return nil }

        // Right to left: where each inner literal starts; `end` is where the value before it must end.
        var starts = [Int](repeating: 0, count: literals.count)
        starts[literals.count - 1] = bytes.count - tail.count
        var end = starts[literals.count - 1]
        for index in stride(from: literals.count - 2, through: 1, by: -1) {
            let literal = literals[index]
            // The value after this literal needs at least one byte, the value before it too.
            var candidate = end - 1 - literal.count
            while candidate > head.count, !bytes[candidate..<candidate + literal.count].elementsEqual(literal) {
                candidate -= 1
            }
            guard candidate > head.count else { return nil }
            starts[index] = candidate
            end = candidate
        }

        var values: [String: String] = [:]
        for (index, name) in names.enumerated() {
            let valueStart = index == 0 ? head.count : starts[index] + literals[index].count
            let valueEnd = starts[index + 1]
            guard valueEnd > valueStart else { return nil }
            values[name] = String(decoding: bytes[valueStart..<valueEnd], as: UTF8.self)
        }
        return values
    }
}
