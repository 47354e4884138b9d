import Foundation

/// Linux's open file description locks (`fcntl`'s `F_OFD_*`): held by a descriptor rather than a
/// process, so that two descriptors of one process exclude each other as two processes do, and
/// freed by the system when the last descriptor of the description closes, however its
/// process ends. Glibc's module does not name them.
enum OpenFileLock {
    static let get: Int32 = 36
    static let set: Int32 = 37
    static let setWaiting: Int32 = 38

    /// A lock of `type` (`F_RDLCK`, `F_WRLCK`, `F_UNLCK`) on `length` bytes from `offset`.
    static func range(_ type: Int32, offset: Int, length: Int) -> flock {
        var lock = flock()
        lock.l_type = Int16(type)
        lock.l_whence = Int16(SEEK_SET)
        lock.l_start = off_t(offset)
        lock.l_len = off_t(length)
        return lock
    }

    /// Sets a lock of `type` through `descriptor`, waiting while another descriptor holds a
    /// conflicting one when `waiting`. Gives whether it was set.
    static func set(_ type: Int32, on descriptor: Int32, offset: Int, length: Int, waiting: Bool) -> Bool {
        var lock = range(type, offset: offset, length: length)
        while fcntl(descriptor, waiting ? setWaiting : set, &lock) != 0 {
            guard errno == EINTR else { return false }
        }
        return true
    }

    /// Whether a descriptor other than `descriptor` holds a lock that would keep it from
    /// setting one of `type`.
    static func isHeld(_ type: Int32, through descriptor: Int32, offset: Int, length: Int) -> Bool {
        var lock = range(type, offset: offset, length: length)
        return fcntl(descriptor, get, &lock) == 0 && lock.l_type != F_UNLCK
    }
}
