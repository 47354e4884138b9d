import Foundation

extension FileManager {
    /// Whether a folder is at `path`, a symbolic link to one included.
    public func isFolder(atPath path: String) -> Bool {
        var isFolder: ObjCBool = false
        return fileExists(atPath: path, isDirectory: &isFolder) && isFolder.boolValue
    }
}
