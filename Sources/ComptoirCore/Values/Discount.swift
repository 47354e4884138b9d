/// A discount as Gestimum writes it: one to six percentages from 0 to 100 joined by `+`
/// (`10+5`), applied one after the other (the grilles help's cascade).
public struct Discount: Sendable, Equatable {
    static let maximumCount = 6

    public let percentages: [DecimalNumber]

    /// Nil unless `text` is one to six percentages, each with at most two decimals.
    public init?(parsing text: String) {
        let parts = text.split(separator: "+", omittingEmptySubsequences: false)
        guard (1...Self.maximumCount).contains(parts.count) else { return nil }
        var percentages: [DecimalNumber] = []
        for part in parts {
            guard case .success(let value) = ExactDecimal.parse(part.trimmingSpaces(), digits: 5, scale: 2),
                let percentage = DecimalNumber(value.text), !percentage.isNegative,
                !(DecimalNumber.hundred < percentage)
            else { return nil }
            percentages.append(percentage)
        }
        self.percentages = percentages
    }

    /// `round₄(price × Π(1 − rᵢ/100))` (`documents.md` §7); nil out of range.
    public func netPrice(_ gross: DecimalNumber) -> DecimalNumber? {
        var net = gross
        for percentage in percentages {
            guard let product = net * (DecimalNumber.hundred - percentage).hundredth else { return nil }
            net = product
        }
        return net.rounded(to: 4)
    }
}
