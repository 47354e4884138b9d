/// A discount as Gestimum writes it: one to six percentages from 0 to 100 joined by `+`
/// (`10+5`), applied one after the other (the grilles help's cascade).
public struct Discount: Sendable, Equatable {
    static let maximumCount = 6

    public let percentages: [DecimalNumber]

    /// Nil unless `text` is one to six percentages, each with at most two decimals.
    public init?(parsing text: String) {
        guard let percentages = Self.percentages(text, surcharges: false) else { return nil }
        self.percentages = percentages
    }

    /// Whether `text` is a discount as a line of a grille writes it (Gestimum's help on
    /// grilles): the same cascade, where a part may be a surcharge (`-2`, the price 2 % up),
    /// and a line past the first threshold may start with `+`, its discounts following those
    /// of the line before (`+5`).
    public static func isValidInGrille(_ text: String) -> Bool {
        let trimmed = text.trimmingSpaces()
        return percentages(trimmed.hasPrefix("+") ? String(trimmed.dropFirst()) : trimmed, surcharges: true) != nil
    }

    /// The percentages of `text`, each a discount up to 100 or, with `surcharges`, a surcharge
    /// below zero; nil when it is not one to six of them, each with at most two decimals.
    private static func percentages(_ text: String, surcharges: Bool) -> [DecimalNumber]? {
        let parts = text.split(separator: "+", omittingEmptySubsequences: false)
        guard (1...maximumCount).contains(parts.count) else { return nil }
        var percentages: [DecimalNumber] = []
        for part in parts {
            guard case .success(let value) = ExactDecimal.parse(part.trimmingSpaces(), digits: 5, scale: 2),
                let percentage = DecimalNumber(value.text), surcharges || !percentage.isNegative,
                !(DecimalNumber.hundred < percentage)
            else { return nil }
            percentages.append(percentage)
        }
        return percentages
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
