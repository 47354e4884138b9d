import Foundation

/// The files that hold a société's data, its users' password hashes among them: a société, a
/// backup, and SQLite's logs beside them, which SQLite creates with its database's mode.
enum PrivateFile {
    /// Creates `path` empty, readable and writable by its owner alone, whatever the umask; fails
    /// when something is there already.
    static func create(_ path: String) throws {
        let descriptor = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw CocoaError(
                .fileWriteUnknown,
                userInfo: [
                    NSFilePathErrorKey: path, NSUnderlyingErrorKey: POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO),
                ])
        }
        close(descriptor)
    }

    /// Creates the folder `path` for backups, open to its owner alone, when it is missing.
    static func createFolder(_ path: String) throws {
        try FileManager.default.createDirectory(
            atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }
}
