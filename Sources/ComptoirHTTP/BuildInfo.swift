import ComptoirStore
import Foundation

/// What `Outils/Version` tells about this server.
enum BuildInfo {
    static let version = "0.1.0"

    /// The version of Gestimum whose requests Comptoir serves, before the data model's number
    /// in `Outils/VersionERP` (docs/decisions.md).
    static let erpVersion = "9.5.0"

    /// When this executable was built, `dd/MM/yyyy HH:mm:ss`: the modification time of the
    /// running executable, which the linker wrote.
    static let date: String = {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        let attributes = try? FileManager.default.attributesOfItem(atPath: executable)
        return LocalTime.journal(attributes?[.modificationDate] as? Date ?? Date())
    }()
}
