import ComptoirCore

/// A query `ExporterRequeteBaseDonnees` may not run, with its French message.
public struct QueryRefusal: FrenchError, Equatable, Sendable {
    public let message: String

    static let notASelect = QueryRefusal(message: "Seules les requêtes SELECT sont permises")
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
