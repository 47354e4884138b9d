import ComptoirCore
import GRDB
import GRDBSQLite

// The one place of Comptoir that calls SQLite's C interface.

/// A prepared statement run through SQLite's C interface: an import's hot path binds and steps
/// without building GRDB arguments or rows for every line.
struct RawStatement {
    private let statement: Statement
    private let connection: SQLiteConnection?
    private let texts: BoundTexts

    init(_ statement: Statement, connection: SQLiteConnection?, texts: BoundTexts) {
        self.statement = statement
        self.connection = connection
        self.texts = texts
    }

    /// Binds `values` to the statement's parameters, in order, runs it and reads its first row,
    /// if any, then resets it, so that no statement stays pending across savepoints and commits.
    /// Each statement's parameters are all bound every time, so none needs clearing.
    func firstRow<T>(binding values: some Sequence<FieldValue>, _ read: (RawStatement) -> T) throws -> T? {
        try run(read) { textsUsed in
            var bound: Int32 = 0
            for (index, value) in zip(Int32(1)..., values) {
                try bind(value, at: index, textsUsed: &textsUsed)
                bound = index
            }
            return bound
        }
    }

    /// The same, with the values of the fields of `parts`, in order, bound in place: the
    /// parameters of a generated statement.
    func firstRow<T>(bindingFieldsOf parts: [LineValues], _ read: (RawStatement) -> T) throws -> T? {
        try run(read) { textsUsed in try bindFields(of: parts, textsUsed: &textsUsed) }
    }

    /// Every row, read with `read`, with the fields of `parts` bound as `firstRow` binds them.
    func allRows<T>(bindingFieldsOf parts: [LineValues], _ read: (RawStatement) -> T) throws -> [T] {
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        defer { sqlite3_reset(handle) }
        try bindAll { textsUsed in try bindFields(of: parts, textsUsed: &textsUsed) }
        var rows: [T] = []
        while true {
            switch sqlite3_step(handle) {
            case SQLITE_ROW: rows.append(read(self))
            case SQLITE_DONE: return rows
            case let code: throw error(code)
            }
        }
    }

    /// Runs the statement for its first row, if any, then resets it, so that no statement stays
    /// pending across savepoints and commits.
    private func run<T>(_ read: (RawStatement) -> T, binding: (inout Int) throws -> Int32) throws -> T? {
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        defer { sqlite3_reset(handle) }
        try bindAll(binding)
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return read(self)
        case SQLITE_DONE: return nil
        case let code: throw error(code)
        }
    }

    /// Binds through `binding`, which answers how many parameters it bound. A statement whose
    /// every parameter was not bound again is never stepped: it would read texts bound by an
    /// earlier run, which `texts` may no longer hold.
    private func bindAll(_ binding: (inout Int) throws -> Int32) throws {
        var textsUsed = 0
        guard try binding(&textsUsed) == sqlite3_bind_parameter_count(statement.sqliteStatement) else {
            throw error(SQLITE_RANGE)
        }
    }

    /// Binds the values of the fields of `parts`, in order, from the first parameter on; answers
    /// how many it bound.
    private func bindFields(of parts: [LineValues], textsUsed: inout Int) throws -> Int32 {
        var index: Int32 = 1
        for part in parts {
            for field in part.fields.indices {
                try bind(part.fields[field].value, at: index, textsUsed: &textsUsed)
                index += 1
            }
        }
        return index - 1
    }

    /// Binds a value; a text is copied into `texts` after the `textsUsed` bytes the statement's
    /// other texts take, and SQLite reads it there until the reset. A text that does not fit
    /// any more is copied by SQLite itself.
    private func bind(_ value: FieldValue, at index: Int32, textsUsed: inout Int) throws {
        let handle = statement.sqliteStatement
        let code: Int32
        switch value {
        case .null: code = sqlite3_bind_null(handle, index)
        case .integer(let integer): code = sqlite3_bind_int64(handle, index, Int64(integer))
        case .text(let text):
            let start = texts.base + textsUsed
            let size = text.utf8.count
            if size <= BoundTexts.capacity - textsUsed,
                text.utf8.withContiguousStorageIfAvailable({ (bytes: UnsafeBufferPointer<UInt8>) -> Void in
                    if let source = bytes.baseAddress { start.copyMemory(from: source, byteCount: size) }
                }) != nil
            {
                textsUsed += size
                // No destructor (SQLITE_STATIC): the text stays in `texts` until the reset.
                code = sqlite3_bind_text(handle, index, start, Int32(size), nil)
            } else {
                var text = text
                code = text.withUTF8 {
                    sqlite3_bind_text(handle, index, $0.baseAddress, Int32($0.count), sqliteTransient)
                }
            }
        }
        guard code == SQLITE_OK else { throw error(code) }
    }

    func text(_ column: Int32) -> String? {
        guard let text = sqlite3_column_text(statement.sqliteStatement, column) else { return nil }
        return String(cString: text)
    }

    func integer(_ column: Int32) -> Int { Int(sqlite3_column_int64(statement.sqliteStatement, column)) }

    /// The values of the first `count` columns of the current row.
    func values(_ count: Int) -> [FieldValue] { (0..<Int32(count)).map(value) }

    /// A column's value as the rules see it: NULL, an integer, or text.
    func value(_ column: Int32) -> FieldValue {
        switch sqlite3_column_type(statement.sqliteStatement, column) {
        case SQLITE_NULL: .null
        case SQLITE_INTEGER: .integer(integer(column))
        default: text(column).map(FieldValue.text) ?? .null
        }
    }

    private func error(_ code: Int32) -> DatabaseError {
        DatabaseError(
            resultCode: ResultCode(rawValue: code),
            message: connection.map { String(cString: sqlite3_errmsg($0)) },
            sql: statement.sql)
    }
}

/// Memory a statement's bound texts are copied to, one after the other, for SQLite to read them
/// in place: it would otherwise copy each one into an allocation of its own, freed at the next
/// binding. One store's statements run one at a time, so they share it. A reset statement still
/// points to its last texts, even once this memory is gone: `RawStatement` steps a statement
/// only once all its parameters are bound again.
final class BoundTexts {
    static let capacity = 64 << 10
    let base = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 1)

    deinit { base.deallocate() }
}

/// Tells SQLite to copy a bound text, which Swift only lends for the call.
let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
