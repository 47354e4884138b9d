import ComptoirCore
import Foundation

/// A tâche's journal: each line shown on standard output, and appended to the `Journal` file
/// when the `.ini` names one (`taches.md` §3).
///
/// A file that cannot be written (a full disk) keeps no line from being shown: the lines go
/// on to standard output, and the failure is told once the tâche's work is done, by `close`.
/// The journal of an import is written once the import is committed, and the import stands.
final class TacheJournal {
    private let file: TextFileWriter?
    private let path: String?
    private let show: (String) -> Void
    private var writeFailed = false
    private var closed = false

    init(path: String?, encoding: TextEncoding, show: @escaping (String) -> Void) throws(TacheRefusal) {
        file = try path.map { path throws(TacheRefusal) in
            try TextFileWriter(path: path, encoding: encoding, appending: true)
        }
        self.path = path
        self.show = show
    }

    func write(_ line: String, show shown: Bool = true) {
        if shown { show(line) }
        guard !writeFailed else { return }
        do { try file?.writeLine(line) } catch { writeFailed = true }
    }

    /// Writes what is left; says so when any line could not be written. Once only: a second
    /// call does nothing.
    func close() throws(TacheFailure) {
        guard let file, let path, !closed else { return }
        closed = true
        do {
            guard !writeFailed else { throw CocoaError(.fileWriteUnknown) }
            try file.close()
        } catch {
            throw TacheFailure("Impossible d'écrire le fichier \(path)")
        }
    }
}
