/// Where bytes stop being UTF-8: a request's body, a tâche's file.
enum UTF8Check {
    /// The offset, from 0, of the first byte of `bytes` that is not valid UTF-8; nil when all are.
    static func firstInvalidOffset(in bytes: some Sequence<UInt8>) -> Int? {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let scalar): offset += scalar.count
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }
}
