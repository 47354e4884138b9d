/// The stock of a document's articles, as its lines move it (`documents.md` §9): each moving
/// line is one movement of `ART_MVT`, and `ART_STOCK` keeps, per dépôt, article and gamme, the
/// sum of the movements of each of its columns.
struct StockMovements {
    static let table = "ART_MVT"

    /// `ART_MVT`: a document's movements, numbered from 1 in each document. `MVT_STOCK` names
    /// the column of `ART_STOCK` that `MVT_QTE` is added to.
    static let movementsTable = TableDescription(
        name: table, key: ["DOC_NUMERO", "MVT_NUMERO"],
        columns: [
            .init("DOC_NUMERO"), .init("MVT_NUMERO", .integer), .init("LIG_NUMERO", .integer), .init("DOC_TYPE"),
            .init("DOC_STYPE"), .init("DOC_DATE", .date), .init("DEP_CODE"), .init("PCF_CODE"), .init("PRJ_CODE"),
            .init("MVT_STOCK"),
        ] + DocumentTables.fields(of: [.documentsStock], lines: true))

    /// One movement: a quantity added to a column of a place's stock.
    struct Movement {
        let place: StockLevels.Place
        let column: StockColumn
        let quantity: DecimalNumber
        /// The line's own fields for `ART_MVT`, none of `movementColumns`.
        let fields: LineValues
        let lineNumber: Int
    }

    /// The columns a movement fills itself, whatever its line's fields (the context's aside).
    static let movementColumns: Set<String> = [
        "LIG_NUMERO", "MVT_STOCK", "DEP_CODE", "ART_CODE", "ART_GAMME", "MVT_QTE",
    ]

    private(set) var movements: [Movement] = []

    /// Adds a movement; the stock actuel it leaves is what the next movements see.
    mutating func add(_ movement: Movement) { movements.append(movement) }

    /// The stock actuel of `place`, with the movements added so far: a document has few, and
    /// only stock documents ask.
    func actuel(of place: StockLevels.Place, in levels: inout StockLevels, store: some RecordStore) throws
        -> DecimalNumber
    {
        var actuel = try levels.actuel(of: place, store: store)
        for movement in movements where movement.place == place {
            actuel += movement.column.actuelChange(of: movement.quantity)
        }
        return actuel
    }

    /// Writes the movements of document `numero`, and counts them in `levels`.
    func write(
        document numero: String, context: LineValues, levels: inout StockLevels, store: some RecordStore
    ) throws {
        var rows: [RecordChange] = []
        rows.reserveCapacity(movements.count)
        for (index, movement) in movements.enumerated() {
            var values = context
            values.reserve(Self.movementColumns.count + movement.fields.fields.count)
            values.append("LIG_NUMERO", .integer(movement.lineNumber))
            values.append("MVT_STOCK", .text(movement.column.rawValue))
            values.append("DEP_CODE", .text(movement.place.depot))
            values.append("ART_CODE", .text(movement.place.article))
            values.append("ART_GAMME", .text(movement.place.gamme))
            values.append("MVT_QTE", movement.quantity.stored(scale: 3))
            for field in movement.fields.fields { values.append(field.name, field.value) }
            let key = LineValues([("DOC_NUMERO", .text(numero)), ("MVT_NUMERO", .integer(index + 1))])
            rows.append(RecordChange(table: Self.table, kind: .create, key: key, values: values))
            try levels.add(movement.quantity, to: movement.column, of: movement.place, store: store)
        }
        try store.write(contentsOf: rows)
    }
}

/// The stock (`ART_STOCK`) of the places a request's documents move: each read once, kept up
/// to date as documents are written, and written back once, at the end of the request. Only
/// documents write the stock, and a request's documents are written one after the other.
struct StockLevels {
    static let table = "ART_STOCK"
    static let key = ["DEP_CODE", "ART_CODE", "ART_GAMME"]
    static let columns = StockColumn.allCases.map(\.rawValue)
    static let description = TableDescription(
        name: table, key: key, columns: (key + columns).map { TableDescription.Column($0) })

    /// One dépôt, article and gamme.
    struct Place: Hashable {
        let depot: String
        let article: String
        let gamme: String

        /// The article alone: a request moves few dépôts and gammes of an article, and a place is
        /// looked up for each movement.
        func hash(into hasher: inout Hasher) { hasher.combine(article) }

        var key: LineValues {
            LineValues([("DEP_CODE", .text(depot)), ("ART_CODE", .text(article)), ("ART_GAMME", .text(gamme))])
        }
    }

    /// The stock of a place, whether the société has its row yet, and whether it moved.
    private struct Level {
        let exists: Bool
        /// The quantity of each column, in the order of `StockColumn.allCases`.
        var quantities: [DecimalNumber]
        var moved = false

        /// Entrées − sorties − pertes + écarts.
        var actuel: DecimalNumber {
            zip(StockColumn.allCases, quantities).reduce(.zero) { actuel, column in
                actuel + column.0.actuelChange(of: column.1)
            }
        }

        mutating func add(_ quantity: DecimalNumber, to column: StockColumn) {
            quantities[StockColumn.allCases.firstIndex(of: column)!] += quantity
            moved = true
        }
    }

    private var levels: [Place: Level] = [:]
    /// The places moved, in the order they first were, to write them in that order.
    private var moved: [Place] = []

    /// The stock actuel of `place`.
    mutating func actuel(of place: Place, store: some RecordStore) throws -> DecimalNumber {
        try levels.values[position(of: place, store: store)].actuel
    }

    mutating func add(
        _ quantity: DecimalNumber, to column: StockColumn, of place: Place, store: some RecordStore
    ) throws {
        // Changed in place, found once, so that its quantities are not copied.
        let position = try position(of: place, store: store)
        if !levels.values[position].moved { moved.append(place) }
        levels.values[position].add(quantity, to: column)
    }

    /// Where `place`'s level is in `levels`, read from the société the first time.
    private mutating func position(of place: Place, store: some RecordStore) throws -> [Place: Level].Index {
        if let position = levels.index(forKey: place) { return position }
        let row = try store.row(in: Self.table, key: place.key, columns: Self.columns)
        let quantities = StockColumn.allCases.indices.map { index in
            row.flatMap { $0[index].text }.flatMap(DecimalNumber.init) ?? .zero
        }
        levels[place] = Level(exists: row != nil, quantities: quantities)
        return levels.index(forKey: place)!
    }

    /// Writes the stock of every place moved.
    func write(store: some RecordStore) throws {
        for place in moved {
            let level = levels[place]!
            let values = LineValues(
                zip(StockColumn.allCases, level.quantities).map { ($0.rawValue, $1.stored(scale: 3)) })
            try store.write(
                RecordChange(table: Self.table, kind: level.exists ? .update : .create, key: place.key, values: values))
        }
    }
}
