/// What Immobilisations add to `TableRules` (`domains.md` §1): accounts that can take amounts,
/// and purchase amounts that agree.
struct ImmobilisationsRule: TableLineRule {
    /// The accounts of a fixed asset.
    static let accounts = [
        "IMO_CPT", "IMO_CPTVAA", "IMO_CPTFRN", "IMO_CPTDAM", "IMO_CPTAM", "IMO_CPTDEP", "IMO_CPTDDE", "IMO_CPTCES",
        "IMO_CPTCRE", "IMO_CPTVAV", "IMO_CPTVNC",
    ]
    /// The purchase price excluding tax, its VAT and the price including tax.
    static let amounts = ["IMO_PRXACH", "IMO_TVAPXA", "IMO_PRATTC"]

    func check(_ line: inout LineValues, exists: Bool, store: some RecordStore) throws -> LineVerdict {
        var reasons: [String] = []
        for column in Self.accounts {
            if let number = line.text(column), try store.account(number: number)?.type == "R" {
                reasons.append(RuleSupport.regroupementAccount(number))
            }
        }
        // Gestimum's release note #27749: the import checks that the three amounts agree. An
        // update's amounts are those of the line, and the stored ones where it gives none.
        var amounts = Self.amounts.map { line[$0] }
        if exists, amounts.contains(where: { $0 == nil }), let code = line.text("IMO_CODE") {
            let stored = try store.row(
                in: "IMMOBILISATIONS", key: LineValues([("IMO_CODE", .text(code))]), columns: Self.amounts)
            for index in amounts.indices where amounts[index] == nil { amounts[index] = stored?[index] }
        }
        let known = amounts.compactMap { $0?.text.flatMap(DecimalNumber.init) }
        if known.count == 3, known[0] + known[1] != known[2] {
            reasons.append(
                "Le prix d'achat TTC (\(known[2].french)) n'est pas le prix HT (\(known[0].french)) "
                    + "plus sa TVA (\(known[1].french))")
        }
        return LineVerdict(reasons: reasons)
    }
}
