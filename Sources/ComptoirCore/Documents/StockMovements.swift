/// The stock of a document's articles, as its lines move it (`documents.md` §9): each moving
/// line is one movement of `ART_MVT`, and `ART_STOCK` keeps, per dépôt, article and gamme, the
/// sum of the movements of each of its columns.
struct StockMovements {
    static let table = "ART_MVT"
    static let stockTable = "ART_STOCK"

    /// `ART_MVT`: a document's movements, numbered from 1 in each document. `MVT_STOCK` names
    /// the column of `ART_STOCK` that `MVT_QTE` is added to.
    static let movementsTable = TableDescription(
        name: table, key: ["DOC_NUMERO", "MVT_NUMERO"],
        columns: [
            .init("DOC_NUMERO"), .init("MVT_NUMERO", .integer), .init("LIG_NUMERO", .integer), .init("DOC_TYPE"),
            .init("DOC_STYPE"), .init("DOC_DATE"), .init("DEP_CODE"), .init("PCF_CODE"), .init("PRJ_CODE"),
            .init("MVT_STOCK"),
        ] + DocumentTables.fields(of: [.documentsStock], lines: true))

    static let stockKey = ["DEP_CODE", "ART_CODE", "ART_GAMME"]
    static let stockColumns = StockColumn.allCases.map(\.rawValue)
    static let levelsTable = TableDescription(
        name: stockTable, key: stockKey,
        columns: stockKey.map { TableDescription.Column($0) } + stockColumns.map { TableDescription.Column($0) })

    /// One dépôt, article and gamme.
    struct Place: Hashable {
        let depot: String
        let article: String
        let gamme: String

        var key: LineValues {
            LineValues([("DEP_CODE", .text(depot)), ("ART_CODE", .text(article)), ("ART_GAMME", .text(gamme))])
        }
    }

    /// One movement: a quantity added to a column of a place's stock.
    struct Movement {
        let place: Place
        let column: StockColumn
        let quantity: DecimalNumber
        /// The line's own fields for `ART_MVT`.
        let fields: LineValues
        let lineNumber: Int
    }

    /// The stock of a place as the société holds it, and whether it has a row yet.
    private struct Level {
        let exists: Bool
        var columns: [StockColumn: DecimalNumber]

        /// Entrées − sorties − pertes + écarts.
        var actuel: DecimalNumber {
            self[.entrees] - self[.sorties] - self[.pertes] + self[.ecarts]
        }

        subscript(column: StockColumn) -> DecimalNumber {
            get { columns[column] ?? .zero }
            set { columns[column] = newValue }
        }
    }

    private(set) var movements: [Movement] = []
    private var levels: [Place: Level] = [:]
    /// The places the movements change, in the order they first do.
    private var moved: [Place] = []

    /// Adds a movement; the stock actuel it leaves is what the next movements see.
    mutating func add(_ movement: Movement, store: some RecordStore) throws {
        var level = try self.level(of: movement.place, store: store)
        level[movement.column] += movement.quantity
        levels[movement.place] = level
        if !moved.contains(movement.place) { moved.append(movement.place) }
        movements.append(movement)
    }

    /// The stock actuel of `place`, with the movements added so far.
    mutating func actuel(of place: Place, store: some RecordStore) throws -> DecimalNumber {
        try level(of: place, store: store).actuel
    }

    private mutating func level(of place: Place, store: some RecordStore) throws -> Level {
        if let level = levels[place] { return level }
        let row = try store.row(in: Self.stockTable, key: place.key, columns: Self.stockColumns)
        var columns: [StockColumn: DecimalNumber] = [:]
        for (column, value) in zip(StockColumn.allCases, row ?? []) {
            columns[column] = value.text.flatMap(DecimalNumber.init) ?? .zero
        }
        let level = Level(exists: row != nil, columns: columns)
        levels[place] = level
        return level
    }

    /// Writes the movements of document `numero` and the stock they leave.
    func write(document numero: String, context: LineValues, store: some RecordStore) throws {
        for (index, movement) in movements.enumerated() {
            var values = context
            values.set("LIG_NUMERO", .integer(movement.lineNumber))
            values.set("MVT_STOCK", .text(movement.column.rawValue))
            for field in movement.fields.fields { values.set(field.name, field.value) }
            values.set("DEP_CODE", .text(movement.place.depot))
            values.set("ART_CODE", .text(movement.place.article))
            values.set("ART_GAMME", .text(movement.place.gamme))
            values.set("MVT_QTE", movement.quantity.stored(scale: 3))
            let key = LineValues([("DOC_NUMERO", .text(numero)), ("MVT_NUMERO", .integer(index + 1))])
            try store.write(RecordChange(table: Self.table, kind: .create, key: key, values: values))
        }
        for place in moved {
            let level = levels[place]!
            let values = LineValues(StockColumn.allCases.map { ($0.rawValue, level[$0].stored(scale: 3)) })
            try store.write(
                RecordChange(
                    table: Self.stockTable, kind: level.exists ? .update : .create, key: place.key, values: values))
        }
    }
}
