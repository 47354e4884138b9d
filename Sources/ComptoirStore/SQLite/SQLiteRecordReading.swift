import ComptoirCore

extension SQLiteSociete {
    public func reading<T>(_ body: (any RecordReader) throws -> T) throws -> T {
        try ConnectionReader.reading(on: ReadOnlyConnection(path: path), body)
    }
}
