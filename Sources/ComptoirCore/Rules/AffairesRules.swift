/// What Affaires add to `TableRules` (`domains.md` §3).

/// Affaires: an impossible date does not refuse the line, as Gestimum imports its own example's
/// `15/19/2019`; it is ignored, with a warning. The catalogue reads these columns as text so
/// that they reach this rule.
struct AffairesDatesRule: TableLineRule {
    static let columns = ["PRJ_DT_DEB", "PRJ_DT_FIN"]

    func check(_ line: inout LineValues, exists: Bool, store: some RecordStore) throws -> LineVerdict {
        var warnings: [LineWarning] = []
        for column in Self.columns {
            guard let given = line.text(column) else { continue }
            if let date = CalendarDate(parsing: given) {
                line.set(column, .text(date.iso))
            } else {
                // Left out of the line: a new affaire has no date, an existing one keeps its own.
                line = LineValues(line.fields.filter { $0.name != column })
                warnings.append("La date \(given) du champ \(column) n'est pas valide : elle est ignorée")
            }
        }
        return LineVerdict(warnings: warnings)
    }
}
