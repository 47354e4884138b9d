import ComptoirCore
import ComptoirStore
import Foundation

/// How a tâche renames the file it imported, once the import is committed (`taches.md` §3).
/// A name already taken is never overwritten: `-2`, `-3`… go before its extension.
enum FileRenaming {
    /// Renames `file` to `<nom>.<aaaa-MM-jj-HH-mm-ss>.importe` in its folder. Returns the new path.
    static func markImported(_ file: String, at date: Date = Date()) throws -> String {
        try move(file, to: "\(file).\(LocalTime.fileName(date)).importe")
    }

    /// Renames `file` to `name` (`RenommerFichierEcritures`, `RenommerFichierComptes`): a bare
    /// name stays in the file's folder, a name with a path moves the file, from the `.ini`'s
    /// folder when relative, to another file system if need be. Returns the new path.
    static func rename(_ file: String, to name: String, iniFolder: String) throws -> String {
        let target =
            name.contains("/") || name.contains("\\")
            ? try TachePath.resolve(name, from: iniFolder)
            : ((file as NSString).deletingLastPathComponent as NSString).appendingPathComponent(name)
        return try move(file, to: target)
    }

    /// Moves `file` to `target`, or to the first of `target` numbered `-2`, `-3`… that is free.
    /// Returns where it went.
    private static func move(_ file: String, to target: String) throws -> String {
        let free = freeName(target)
        if Foundation.rename(file, free) == 0 { return free }
        let code = errno
        var reason = String(cString: strerror(code))
        // `rename` stays on one file system; Gestimum's moves go anywhere.
        if code == EXDEV {
            do {
                try FileManager.default.copyItem(atPath: file, toPath: free)
                try FileManager.default.removeItem(atPath: file)
                return free
            } catch {
                try? FileManager.default.removeItem(atPath: free)
                reason = "la copie vers l'autre système de fichiers a échoué"
            }
        }
        throw TacheFailure("Impossible de renommer le fichier \(file) en \(free) : \(reason)")
    }

    /// `path`, or the first of `<nom>-2<.ext>`, `<nom>-3<.ext>`… that no file has.
    static func freeName(_ path: String) -> String {
        guard FileManager.default.fileExists(atPath: path) else { return path }
        let base = (path as NSString).deletingPathExtension
        let suffix = (path as NSString).pathExtension
        var number = 2
        while true {
            let candidate = "\(base)-\(number)" + (suffix.isEmpty ? "" : ".\(suffix)")
            if !FileManager.default.fileExists(atPath: candidate) { return candidate }
            number += 1
        }
    }
}
