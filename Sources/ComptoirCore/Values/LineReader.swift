/// The values of one data line, in column order, only for the columns it holds.
public struct LineValues: Sendable, Equatable {
    public private(set) var fields: [(name: String, value: FieldValue)]

    public init(_ fields: [(name: String, value: FieldValue)]) { self.fields = fields }

    /// The value of a column the line holds; nil when the column is absent.
    public subscript(name: String) -> FieldValue? {
        position(of: name).map { fields[$0].value }
    }

    /// Where the column `name` is. Lengths are compared first: most names looked at are
    /// another's, and most names differ in length, which costs nothing to read.
    private func position(of name: String) -> Int? {
        let length = name.utf8.count
        return fields.firstIndex { $0.name.utf8.count == length && $0.name == name }
    }

    /// The non-empty text of a column, or nil when it is absent or empty.
    public func text(_ name: String) -> String? {
        guard let text = self[name]?.text, !text.isEmpty else { return nil }
        return text
    }

    /// Sets a column's value, adding the column when the line does not hold it.
    public mutating func set(_ name: String, _ value: FieldValue) {
        if let index = position(of: name) {
            fields[index].value = value
        } else {
            fields.append((name, value))
        }
    }

    /// Sets a column's value when the line has no text there (the column absent, empty or not
    /// text), with one look for it.
    public mutating func fill(_ name: String, _ value: FieldValue) {
        if let index = position(of: name) {
            if fields[index].value.text?.isEmpty == false { return }
            fields[index].value = value
        } else {
            fields.append((name, value))
        }
    }

    /// Gives a column its default: when `creating`, wherever the line has no text there; on an
    /// update only where the line holds it empty, since a column left out of the file leaves
    /// the stored value as it is.
    public mutating func fillDefault(_ name: String, _ value: FieldValue, creating: Bool) {
        guard !creating else { return fill(name, value) }
        guard let index = position(of: name), fields[index].value.text?.isEmpty != false
        else { return }
        fields[index].value = value
    }

    /// Adds a column the line does not hold, without looking for it.
    mutating func append(_ name: String, _ value: FieldValue) {
        fields.append((name, value))
    }

    /// Makes room for `count` more columns, for a row built by appending.
    mutating func reserve(_ count: Int) {
        fields.reserveCapacity(fields.count + count)
    }

    public static func == (lhs: LineValues, rhs: LineValues) -> Bool {
        lhs.fields.count == rhs.fields.count
            && zip(lhs.fields, rhs.fields).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }
}

/// Turns a data line into its values: splitting, field count, and each value's type (section 3).
public struct LineReader: Sendable {
    private let layout: FieldLayout
    private let splitter: LineSplitter

    public init(layout: FieldLayout, separator: Unicode.Scalar, qualifier: Unicode.Scalar?) {
        self.layout = layout
        self.splitter = LineSplitter(separator: separator, qualifier: qualifier)
    }

    /// The line's values, or every reason it is rejected.
    public func read(_ line: String) -> Result<LineValues, LineRejection> {
        readFields(line).flatMap { read in
            read.failures.isEmpty ? .success(read.values) : .failure(LineRejection(read.failures.map(\.reason)))
        }
    }

    /// The values of the line's fields that can be read, and the reasons of those that cannot;
    /// a failure when the line itself cannot be split into its fields.
    public func readFields(_ line: String) -> Result<ReadFields, LineRejection> {
        let fields: [String]
        switch splitter.split(line) {
        case .success(let split): fields = split
        case .failure(let error): return .failure(LineRejection([error.message]))
        }
        let expected = layout.columns.count
        if fields.count > expected, fields[expected...].contains(where: { !$0.isEmpty }) {
            return .failure(
                LineRejection(["La ligne comporte \(fields.count) champs alors que \(expected) sont attendus"]))
        }
        var values: [(name: String, value: FieldValue)] = []
        values.reserveCapacity(min(fields.count, expected))
        var failures: [(field: String, reason: String)] = []
        for (field, raw) in zip(layout.columns, fields) {
            guard let field else { continue }
            switch field.parse(raw) {
            case .success(let value): values.append((field.name, value))
            case .failure(let error): failures.append((field.name, error.message))
            }
        }
        return .success(ReadFields(values: LineValues(values), failures: failures))
    }
}

/// What `LineReader.readFields` reads of a line.
public struct ReadFields: Sendable {
    public var values: LineValues
    /// The fields whose value cannot be read, with the reason, in column order.
    public let failures: [(field: String, reason: String)]
}

/// Why a line is not imported: one French reason per problem found.
public struct LineRejection: Error, Equatable, Sendable {
    public var reasons: [String]
    public init(_ reasons: [String]) { self.reasons = reasons }
}
