/// Writes the records of a read as bytes, piece by piece, as they are read: a JSON page, or CSV
/// for spreadsheets.
public struct RecordWriter: Sendable {
    public enum Format: Sendable, Equatable {
        /// `{"domaine":…,"enregistrements":[…],"suivant":…}`, in UTF-8.
        case json
        /// UTF-8 with a BOM, `;`-separated, decimals with a comma and dates `JJ/MM/AAAA`: what a
        /// French spreadsheet opens as it is, and what an import takes back. A view with one
        /// kind of child rows gives one row per child row, its record's columns repeated (the
        /// layout of a documents import).
        case csv
    }

    public let view: RecordView
    public let format: Format
    /// `"NAME":` of each column of a record, then of each child's columns, written once.
    private let recordKeys: [[UInt8]]
    private let childKeys: [(name: [UInt8], columns: [[UInt8]])]

    public init(view: RecordView, format: Format) {
        self.view = view
        self.format = format
        let key = { (name: String) in Array("\"\(name)\":".utf8) }
        recordKeys = view.columns.map { key($0.name) }
        childKeys = view.children.map { child in (key(child.name), child.columns.map { key($0.name) }) }
        if view.children.count == 1 {
            let own = Set(view.columns.map(\.name))
            csvChild = view.children[0]
            csvChildColumns = view.children[0].columns.indices.filter {
                !own.contains(view.children[0].columns[$0].name)
            }
        } else {
            csvChild = nil
            csvChildColumns = []
        }
    }

    /// The child rows CSV flattens records with, if any.
    private let csvChild: RecordView.Child?
    /// Where the child's columns that CSV shows are among its columns: those the record has
    /// too (a stock movement's dépôt, its document's) are the record's, once, as an import's
    /// file names each column once.
    private let csvChildColumns: [Int]

    /// Appends to `bytes` what comes before the first record of a list of `domaine`.
    public func appendOpening(domaine: String, to bytes: inout [UInt8]) {
        switch format {
        case .json:
            bytes += "{\"domaine\":".utf8
            JSONValue.appendUTF8String(domaine, to: &bytes)
            bytes += ",\"enregistrements\":[".utf8
        case .csv:
            bytes += TextEncoding.utf8ByteOrderMark
            let names =
                view.columns.map(\.name)
                + (csvChild.map { child in csvChildColumns.map { child.columns[$0].name } } ?? [])
            bytes += (names.map(Self.csvField).joined(separator: ";") + "\r\n").utf8
        }
    }

    /// Appends one record of a list: its values in `view.columns`' order, and the rows of each
    /// child, their values in the child's columns' order.
    public func appendRecord(_ values: [String?], children: [[[String?]]], first: Bool, to bytes: inout [UInt8]) {
        switch format {
        case .json:
            if !first { bytes.append(UInt8(ascii: ",")) }
            appendJSONObject(values, children: children, to: &bytes)
        case .csv:
            let own = zip(view.columns, values).map { Self.csvField(Self.csvText($1, of: $0.type)) }
            guard let child = csvChild, let rows = children.first, !rows.isEmpty else {
                let empty = Array(repeating: "", count: csvChildColumns.count)
                bytes += ((own + empty).joined(separator: ";") + "\r\n").utf8
                return
            }
            for row in rows {
                let line = csvChildColumns.map { Self.csvField(Self.csvText(row[$0], of: child.columns[$0].type)) }
                bytes += ((own + line).joined(separator: ";") + "\r\n").utf8
            }
        }
    }

    /// Appends what follows the last record: the cursor of the next page, when there is one.
    public func appendClosing(next: String?, to bytes: inout [UInt8]) {
        guard format == .json else { return }
        bytes += "],\"suivant\":".utf8
        if let next { JSONValue.appendUTF8String(next, to: &bytes) } else { bytes += "null".utf8 }
        bytes.append(UInt8(ascii: "}"))
    }

    /// One record alone: a JSON object, or a CSV header and the record's rows.
    public func record(_ values: [String?], children: [[[String?]]]) -> [UInt8] {
        var bytes: [UInt8] = []
        switch format {
        case .json: appendJSONObject(values, children: children, to: &bytes)
        case .csv:
            appendOpening(domaine: "", to: &bytes)
            appendRecord(values, children: children, first: true, to: &bytes)
        }
        return bytes
    }

    private func appendJSONObject(_ values: [String?], children: [[[String?]]], to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "{"))
        Self.appendMembers(values, columns: view.columns, keys: recordKeys, to: &bytes)
        for ((child, keys), rows) in zip(zip(view.children, childKeys), children) {
            bytes.append(UInt8(ascii: ","))
            bytes += keys.name
            bytes.append(UInt8(ascii: "["))
            for (index, row) in rows.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                bytes.append(UInt8(ascii: "{"))
                Self.appendMembers(row, columns: child.columns, keys: keys.columns, to: &bytes)
                bytes.append(UInt8(ascii: "}"))
            }
            bytes.append(UInt8(ascii: "]"))
        }
        bytes.append(UInt8(ascii: "}"))
    }

    private static func appendMembers(
        _ values: [String?], columns: [TableDescription.Column], keys: [[UInt8]], to bytes: inout [UInt8]
    ) {
        for index in values.indices {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes += keys[index]
            appendJSONValue(values[index], of: columns[index].type, to: &bytes)
        }
    }

    /// A value as JSON: integers and exact decimals as numbers, written as stored, checkboxes as
    /// booleans, everything else as a string, NULL as `null`.
    static func appendJSONValue(_ text: String?, of type: TableDescription.ColumnType, to bytes: inout [UInt8]) {
        guard let text else {
            bytes += "null".utf8
            return
        }
        switch type {
        case .integer where Int(text) != nil, .decimal where isDecimal(text): bytes += text.utf8
        case .checkbox where text == "0": bytes += "false".utf8
        case .checkbox where text == "1": bytes += "true".utf8
        default: JSONValue.appendUTF8String(text, to: &bytes)
        }
    }

    /// Digits, with an optional sign and decimal part: a JSON number as it is.
    private static func isDecimal(_ text: String) -> Bool {
        let unsigned = text.utf8.first == UInt8(ascii: "-") ? text.utf8.dropFirst() : text.utf8[...]
        let parts = unsigned.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        return (1...2).contains(parts.count)
            && parts.allSatisfy { part in !part.isEmpty && part.allSatisfy { $0 >= 48 && $0 <= 57 } }
            && (parts[0].count == 1 || parts[0].first != UInt8(ascii: "0"))
    }

    static func csvText(_ text: String?, of type: TableDescription.ColumnType) -> String {
        guard let text else { return "" }
        switch type {
        case .decimal: return text.replacingDots()
        case .date, .dateTime:
            // `AAAA-MM-JJ[ HH:MM:SS]` → `JJ/MM/AAAA[ HH:MM:SS]`.
            let day = text.prefix(10).split(separator: "-")
            guard day.count == 3 else { return text }
            return "\(day[2])/\(day[1])/\(day[0])" + text.dropFirst(10)
        default: return text
        }
    }

    /// A CSV field, quoted when it holds a separator, a quote or a line break, or starts or ends
    /// with a character that an import trims from a field that is not quoted (up to U+0020).
    static func csvField(_ text: String) -> String {
        let trimmed = { (scalar: Unicode.Scalar?) in scalar.map { $0.value <= 0x20 } ?? false }
        guard
            text.contains(where: { $0 == ";" || $0 == "\"" || $0.isNewline })
                || trimmed(text.unicodeScalars.first) || trimmed(text.unicodeScalars.last)
        else { return text }
        return "\"" + text.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }
}

extension String {
    fileprivate func replacingDots() -> String { String(map { $0 == "." ? "," : $0 }) }
}
