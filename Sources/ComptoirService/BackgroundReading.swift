import ComptoirCore
import Dispatch

/// Reads each next chunk of an import's lines on a thread of the global pool while the writer
/// takes the chunk before: on two cores, reading and writing then overlap.
struct BackgroundReading: ReadAhead {
    func start<Lines: Sendable>(_ read: @escaping @Sendable () -> Lines) -> () -> Lines {
        let pending = Pending<Lines>()
        DispatchQueue.global().async { pending.put(read()) }
        return { pending.take() }
    }
}

/// A chunk's lines, written once by the reading thread, then taken once by the writer: the
/// semaphore orders the two, which is what makes sharing it safe.
private final class Pending<Lines>: @unchecked Sendable {
    private var lines: Lines?
    private let done = DispatchSemaphore(value: 0)

    func put(_ lines: Lines) {
        self.lines = lines
        done.signal()
    }

    /// Waits for the lines and hands them over, keeping no reference: the writer can then
    /// move each line out without copying the chunk.
    func take() -> Lines {
        done.wait()
        defer { lines = nil }
        return lines!
    }
}
