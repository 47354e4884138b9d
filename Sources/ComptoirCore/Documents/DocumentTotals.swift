/// The footer of a document, computed from its lines (`documents.md` §7): exact decimals,
/// rounded per line and then per VAT base.
public struct DocumentTotals: Sendable, Equatable {
    /// One VAT rate of the document: its base excluding tax after the remise, and its VAT.
    public struct VATBase: Sendable, Equatable {
        public let rate: DecimalNumber
        public let base: DecimalNumber
        public let vat: DecimalNumber
    }

    /// The remise exceptionnelle of the footer.
    public enum Remise: Sendable, Equatable {
        /// `DOC_TXRFAC`: a percentage of the brut.
        case rate(DecimalNumber)
        /// `DOC_REMFAC`: an amount.
        case amount(DecimalNumber)
    }

    /// The sum of the lines' amounts, before the remise.
    public let brut: DecimalNumber
    public let remise: DecimalNumber
    /// In decreasing rate order.
    public let bases: [VATBase]
    public let ht: DecimalNumber
    public let tva: DecimalNumber
    public let ttc: DecimalNumber

    /// The totals of lines given as (amount, VAT rate); the amounts include VAT when
    /// `includingTax`. Nil when an amount leaves the range of `DecimalNumber`, or has more
    /// digits than a `Montant` holds.
    public init?(lines: [(amount: DecimalNumber, rate: DecimalNumber)], remise: Remise?, includingTax: Bool) {
        var brut = DecimalNumber.zero
        // A document has a few rates: found by comparing, not by hashing.
        var byRate: [(rate: DecimalNumber, amount: DecimalNumber)] = []
        for line in lines {
            brut += line.amount
            if let index = byRate.firstIndex(where: { $0.rate == line.rate }) {
                byRate[index].amount += line.amount
            } else {
                byRate.append((line.rate, line.amount))
            }
        }
        byRate.sort { $0.rate > $1.rate }
        let rates = byRate.map { $0.rate }
        var bases = byRate.map { $0.amount }
        let remiseAmount: DecimalNumber
        switch remise {
        case .rate(let percentage):
            guard let product = brut * percentage else { return nil }
            remiseAmount = product.hundredth.rounded(to: 2)
        // An amount lowers the document, as a rate does: on a negative brut it is negative.
        case .amount(let amount): remiseAmount = brut.isNegative ? .zero - amount.rounded(to: 2) : amount.rounded(to: 2)
        case nil: remiseAmount = .zero
        }
        if !remiseAmount.isZero, !brut.isZero,
            let largest = bases.indices.max(by: { bases[$0].magnitude < bases[$1].magnitude })
        {
            var shared = DecimalNumber.zero
            var shares = bases.map { _ in DecimalNumber.zero }
            for index in bases.indices where index != largest {
                guard let product = bases[index] * remiseAmount,
                    let share = DecimalNumber.divided(product, by: brut, scale: 2)
                else { return nil }
                shares[index] = share
                shared += share
            }
            // The largest base, in size, absorbs what the rounding of the others leaves: a credit
            // note mirroring an invoice comes to its totals negated.
            shares[largest] = remiseAmount - shared
            for index in bases.indices { bases[index] = bases[index] - shares[index] }
        }
        var vatBases: [VATBase] = []
        var ht = DecimalNumber.zero
        var tva = DecimalNumber.zero
        for (rate, amount) in zip(rates, bases) {
            let multiplier = DecimalNumber.hundred + rate
            let base: DecimalNumber
            let vat: DecimalNumber
            if includingTax {
                guard let scaled = amount * .hundred,
                    let excluding = DecimalNumber.divided(scaled, by: multiplier, scale: 2)
                else { return nil }
                (base, vat) = (excluding, amount - excluding)
            } else {
                guard let product = amount * rate else { return nil }
                (base, vat) = (amount, product.hundredth.rounded(to: 2))
            }
            ht += base
            tva += vat
            vatBases.append(VATBase(rate: rate, base: base, vat: vat))
        }
        // Each is stored as a `Montant`, and must fit in one.
        guard
            [brut, remiseAmount, ht, tva, ht + tva].allSatisfy({
                $0.integerDigitCount <= FieldType.montant.integerDigits
            })
        else { return nil }
        self.brut = brut
        self.remise = remiseAmount
        self.bases = vatBases
        self.ht = ht
        self.tva = tva
        self.ttc = ht + tva
    }
}
