import ComptoirCore
import ComptoirStore
import Foundation

/// How a tâche renames the file it imported, once the import is committed (`taches.md` §3).
enum FileRenaming {
    /// Renames `file` to `<nom>.<aaaa-MM-jj-HH-mm-ss>.importe` in its folder, `-2`, `-3`… before
    /// `.importe` when that name is taken. Returns the new path.
    static func markImported(_ file: String, at date: Date = Date()) throws -> String {
        let stamp = LocalTime.fileName(date)
        var candidate = "\(file).\(stamp).importe"
        var suffix = 2
        while FileManager.default.fileExists(atPath: candidate) {
            candidate = "\(file).\(stamp)-\(suffix).importe"
            suffix += 1
        }
        try move(file, to: candidate)
        return candidate
    }

    /// Renames `file` to `name` (`RenommerFichierEcritures`, `RenommerFichierComptes`): a bare
    /// name stays in the file's folder, a name with a path moves the file, from the `.ini`'s
    /// folder when relative. Returns the new path.
    static func rename(_ file: String, to name: String, iniFolder: String) throws -> String {
        let target =
            name.contains("/") || name.contains("\\")
            ? try TachePath.resolve(name, from: iniFolder)
            : ((file as NSString).deletingLastPathComponent as NSString).appendingPathComponent(name)
        try move(file, to: target)
        return target
    }

    private static func move(_ file: String, to target: String) throws {
        guard Foundation.rename(file, target) == 0 else {
            throw TacheFailure(
                "Impossible de renommer le fichier \(file) en \(target) : \(String(cString: strerror(errno)))")
        }
    }
}
