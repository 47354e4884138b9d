import ComptoirCore
import Foundation

/// A tâche's journal: each line shown on standard output, and appended to the `Journal` file
/// when the `.ini` names one (`taches.md` §3).
final class TacheJournal {
    private let file: TextFileWriter?
    private let show: (String) -> Void

    init(path: String?, encoding: TextEncoding, show: @escaping (String) -> Void) throws(TacheRefusal) {
        file = try path.map { path throws(TacheRefusal) in
            try TextFileWriter(path: path, encoding: encoding, appending: true)
        }
        self.show = show
    }

    func write(_ line: String, show shown: Bool = true) throws {
        if shown { show(line) }
        try file?.writeLine(line)
    }

    func close() throws { try file?.close() }
}
