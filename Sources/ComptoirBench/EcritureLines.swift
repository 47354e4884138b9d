/// Journal entries for the benchmark, in `GestimumComptaVariable`: pièces of 3 lines (a client's
/// debit, and credits to the seeded VAT and sales accounts), in blocks of ten pièces whose last has an échéance under its
/// first line and an analytic split under its third: 32 lines a block.
struct EcritureLines: Sendable {
    static let piecesPerBlock = 10
    static let linesPerBlock = 32
    static let clients = 1_000

    /// Lines in the file, whole blocks only: a pièce is never cut.
    let count: Int

    init(count: Int) { self.count = max(1, count / Self.linesPerBlock) * Self.linesPerBlock }

    /// How many écriture lines the file holds: its lines but échéances and splits.
    var ecritureCount: Int { count / Self.linesPerBlock * Self.piecesPerBlock * 3 }

    /// The clients whose accounts the entries debit.
    static var clientLines: [String] {
        ["PCF_CODE;CPT_NUMERO;PCF_RS"] + (0..<clients).map { "C\($0);411C\($0);Client n°\($0)" }
    }

    /// What one écriture line writes: the pièce, the account, the label, the debit and credit,
    /// and its échéance and split when it has them.
    struct Ecriture {
        let piece: Int
        let compte: String
        let libelle: String
        let debit: String
        let credit: String
        let echeance: Bool
        let split: Bool
    }

    /// The écriture lines of pièce `piece` (from 0).
    static func ecritures(of piece: Int) -> [Ecriture] {
        let detailed = piece % piecesPerBlock == piecesPerBlock - 1
        let libelle = "Facture FA\(piece)"
        return [
            Ecriture(
                piece: piece, compte: "411C\(piece % clients)", libelle: libelle, debit: "120.00", credit: "0.00",
                echeance: detailed, split: false),
            Ecriture(
                piece: piece, compte: "445711", libelle: libelle, debit: "0.00", credit: "20.00", echeance: false,
                split: false),
            Ecriture(
                piece: piece, compte: "707000", libelle: libelle, debit: "0.00", credit: "100.00", echeance: false,
                split: detailed),
        ]
    }

    /// Every line of the file, in order.
    var lines: some Sequence<String> {
        (0..<(count / Self.linesPerBlock * Self.piecesPerBlock)).lazy.flatMap { piece in
            Self.ecritures(of: piece).enumerated().flatMap { index, ecriture in
                let amount = ecriture.debit == "0.00" ? "\(ecriture.credit),C" : "\(ecriture.debit),D"
                return [
                    #"\#(index + 1),15/01/2026,VTE,\#(ecriture.compte),FAC,"\#(ecriture.libelle)",\#(piece),EUR,\#(amount)"#
                ] + (ecriture.echeance ? ["E15/02/2026,CHQ,,120.00"] : [])
                    + (ecriture.split ? [">001,S1,100,100.00"] : [])
            }
        }
    }
}
