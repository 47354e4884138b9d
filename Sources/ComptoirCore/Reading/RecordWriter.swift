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

    public init(view: RecordView, format: Format) {
        self.view = view
        self.format = format
    }

    /// The child rows CSV flattens records with, if any.
    private var csvChild: RecordView.Child? { view.children.count == 1 ? view.children[0] : nil }

    /// What comes before the first record of a list of `domaine`.
    public func opening(domaine: String) -> [UInt8] {
        switch format {
        case .json:
            return Array("{\"domaine\":\(JSONValue.string(domaine).utf8Text),\"enregistrements\":[".utf8)
        case .csv:
            let names = view.columns.map(\.name) + (csvChild?.columns.map(\.name) ?? [])
            return [0xEF, 0xBB, 0xBF] + Array((names.map(Self.csvField).joined(separator: ";") + "\r\n").utf8)
        }
    }

    /// One record of a list: its values in `view.columns`' order, and the rows of each child,
    /// their values in the child's columns' order.
    public func record(_ values: [String?], children: [[[String?]]], first: Bool) -> [UInt8] {
        switch format {
        case .json:
            return Array(((first ? "" : ",") + jsonObject(values, children: children).utf8Text).utf8)
        case .csv:
            let own = zip(view.columns, values).map { Self.csvField(Self.csvText($1, of: $0.type)) }
            guard let child = csvChild, let rows = children.first, !rows.isEmpty else {
                let empty = Array(repeating: "", count: csvChild?.columns.count ?? 0)
                return Array(((own + empty).joined(separator: ";") + "\r\n").utf8)
            }
            var text = ""
            for row in rows {
                let line = zip(child.columns, row).map { Self.csvField(Self.csvText($1, of: $0.type)) }
                text += (own + line).joined(separator: ";") + "\r\n"
            }
            return Array(text.utf8)
        }
    }

    /// What follows the last record: the cursor of the next page, when there is one.
    public func closing(next: String?) -> [UInt8] {
        switch format {
        case .json: Array("],\"suivant\":\(next.map { JSONValue.string($0).utf8Text } ?? "null")}".utf8)
        case .csv: []
        }
    }

    /// One record alone, as JSON.
    public func jsonObject(_ values: [String?], children: [[[String?]]]) -> JSONValue {
        var members = zip(view.columns, values).map { column, value in
            (key: column.name, value: Self.jsonValue(value, of: column.type))
        }
        for (child, rows) in zip(view.children, children) {
            let objects = rows.map { row in
                JSONValue.object(
                    zip(child.columns, row).map { column, value in
                        (key: column.name, value: Self.jsonValue(value, of: column.type))
                    })
            }
            members.append((key: child.name, value: .array(objects)))
        }
        return .object(members)
    }

    static func jsonValue(_ text: String?, of type: TableDescription.ColumnType) -> JSONValue {
        guard let text else { return .null }
        switch type {
        case .integer where Int(text) != nil: return .number(text)
        case .checkbox where text == "0" || text == "1": return .bool(text == "1")
        case .decimal where isDecimal(text): return .number(text)
        default: return .string(text)
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

    /// A CSV field, quoted when it holds a separator, a quote or a line break.
    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == ";" || $0 == "\"" || $0.isNewline }) else { return text }
        return "\"" + text.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }
}

extension String {
    fileprivate func replacingDots() -> String { String(map { $0 == "." ? "," : $0 }) }
}
