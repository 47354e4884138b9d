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
    /// Returns where it went. Each name is taken by a call that fails when it exists, a hard
    /// link or a file created exclusively, never checked first and then written: a tâche
    /// renaming to the same name at the same time cannot be overwritten.
    private static func move(_ file: String, to target: String) throws -> String {
        var number = 1
        while true {
            let candidate = number == 1 ? target : numbered(target, number)
            number += 1
            if link(file, candidate) == 0 {
                guard unlink(file) == 0 else {
                    let reason = SystemError.reason(errno: errno)
                    unlink(candidate)
                    throw TacheFailure("Impossible de renommer le fichier \(file) en \(candidate) : \(reason)")
                }
                return candidate
            }
            switch errno {
            case EEXIST: continue
            // Gestimum's moves go anywhere: to another file system, or one without hard links.
            case EXDEV, EPERM, EOPNOTSUPP:
                if try copy(file, toNew: candidate) { return candidate }
            default:
                throw TacheFailure(
                    "Impossible de renommer le fichier \(file) en \(candidate) : \(SystemError.reason(errno: errno))")
            }
        }
    }

    /// Copies `file` into `destination`, created for it, then removes `file`; false when
    /// `destination` exists. A copy that fails is removed: `file` stays where it was.
    private static func copy(_ file: String, toNew destination: String) throws -> Bool {
        let descriptor = open(destination, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if descriptor < 0, errno == EEXIST { return false }
        let failure = TacheFailure(
            "Impossible de renommer le fichier \(file) en \(destination) : la copie vers l'autre système de fichiers a échoué"
        )
        guard descriptor >= 0 else { throw failure }
        let output = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        do {
            guard let input = FileHandle(forReadingAtPath: file) else { throw failure }
            while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty { try output.write(contentsOf: chunk) }
            try output.synchronize()
            try FileManager.default.removeItem(atPath: file)
            return true
        } catch {
            unlink(destination)
            throw failure
        }
    }

    /// `<nom>-<number><.ext>` of `path`.
    private static func numbered(_ path: String, _ number: Int) -> String {
        let suffix = (path as NSString).pathExtension
        return "\((path as NSString).deletingPathExtension)-\(number)" + (suffix.isEmpty ? "" : ".\(suffix)")
    }
}
