import ComptoirCore

/// A query `ExporterRequeteBaseDonnees` may not run, with its French message.
public struct QueryRefusal: FrenchError, Equatable, Sendable {
    public let message: String

    static let notASelect = QueryRefusal(message: "Seules les requêtes SELECT sont permises")

    /// A query SQLite cannot read, with its reason in French for the mistakes a query's author
    /// makes most (a name mistyped, a syntax error); SQLite's own words for the others.
    static func invalid(sqliteMessage message: String) -> QueryRefusal {
        let named: [(prefix: String, french: (String) -> String)] = [
            ("no such table: ", { "la table \($0) n'existe pas" }),
            ("no such column: ", { "la colonne \($0) n'existe pas" }),
            ("no such function: ", { "la fonction \($0) n'existe pas" }),
            ("ambiguous column name: ", { "la colonne \($0) est ambiguë : précisez sa table" }),
        ]
        let reason: String
        if let (prefix, french) = named.first(where: { message.hasPrefix($0.prefix) }) {
            reason = french(String(message.dropFirst(prefix.count)))
        } else if let near = message.wholeMatch(of: /near "(.*)": syntax error/) {
            reason = "erreur de syntaxe près de « \(near.1) »"
        } else if message == "incomplete input" {
            reason = "la requête est incomplète"
        } else {
            reason = "SQLite signale : \(message)"
        }
        return QueryRefusal(message: "Requête invalide : \(reason)")
    }
}

extension SQLiteSociete {
    /// `Societe.export`, on a `ReadOnlyConnection`: anything but reading is refused before it
    /// runs, and password hashes read as NULL. Values are as SQLite gives them as text.
    public func export(
        query: String, columns: ([String]) throws -> Void, row: ([String?]) throws -> Void
    ) throws -> Int {
        let connection = try ReadOnlyConnection(path: path)
        let statement = try connection.prepareSelect(query)
        try columns((0..<statement.columnCount).map(statement.columnName))
        var rows = 0
        while try statement.step() {
            try row(statement.texts())
            rows += 1
        }
        return rows
    }
}
