import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A small tmpfs mounted on a new temporary folder, where a test fills a real disk or makes a
/// file system read-only. Only a process allowed to mount gets one (root, in most containers).
public final class SmallFileSystem: Sendable {
    public let path: String
    private let folder: TemporaryFolder

    /// Nil when this process may not mount a file system.
    public init?(kibibytes: Int) {
        #if os(Linux)
            guard let folder = try? TemporaryFolder() else { return nil }
            guard mount("tmpfs", folder.path, "tmpfs", 0, "size=\(kibibytes)k,mode=0777") == 0 else { return nil }
            self.folder = folder
            path = folder.path
        #else
            return nil
        #endif
    }

    /// Whether one can be mounted here, for the tests that need one.
    public static let isAvailable = SmallFileSystem(kibibytes: 64) != nil

    /// Makes the file system read-only, or writable again; false when it cannot (a file is
    /// open for writing).
    public func setReadOnly(_ readOnly: Bool) -> Bool {
        #if os(Linux)
            mount("tmpfs", path, "tmpfs", UInt(MS_REMOUNT) | (readOnly ? UInt(MS_RDONLY) : 0), nil) == 0
        #else
            false
        #endif
    }

    deinit {
        #if os(Linux)
            _ = umount2(path, Int32(MNT_DETACH))
        #endif
    }
}
