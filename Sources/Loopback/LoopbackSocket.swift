import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// One TCP socket on 127.0.0.1 with blocking calls: how the benchmark's clients and the tests of
/// the executable talk to a live server from outside, byte for byte. Closed when let go of.
/// Handed to the thread that uses it (hence `Sendable`), and used by one thread at a time.
public final class LoopbackSocket: @unchecked Sendable {
    public let descriptor: Int32

    /// What one read gave.
    public enum Read: Sendable {
        case data([UInt8])
        case closed
        case timeout
    }

    private init?(descriptor: Int32) {
        guard descriptor >= 0 else { return nil }
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// A connection to 127.0.0.1:`port`, without Nagle's delay when `noDelay`; nil when nothing
    /// accepts it. `host`, another IPv4 address of this machine, makes the server see a peer
    /// that is not on the loopback.
    public convenience init?(port: Int, noDelay: Bool = false, host: String = "127.0.0.1") {
        self.init(descriptor: Self.tcpSocket())
        if noDelay {
            var on: Int32 = 1
            setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
        }
        var address = Self.loopback(port: port)
        address.sin_addr.s_addr = inet_addr(host)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { return nil }
    }

    /// A socket listening on 127.0.0.1 at a port the kernel picks, and that port; nil when it fails.
    public static func listening() -> (socket: LoopbackSocket, port: Int)? {
        guard let socket = LoopbackSocket(descriptor: tcpSocket()), let port = socket.bind(listening: true) else {
            return nil
        }
        return (socket, port)
    }

    /// The next connection to this listening socket, waiting for it; nil once the socket is shut.
    public func accept() -> LoopbackSocket? {
        #if canImport(Darwin)
            LoopbackSocket(descriptor: Darwin.accept(descriptor, nil, nil))
        #else
            LoopbackSocket(descriptor: Glibc.accept(descriptor, nil, nil))
        #endif
    }

    /// Ends the connection both ways, for the thread that reads or waits on it too.
    public func shutDown() {
        #if canImport(Darwin)
            _ = Darwin.shutdown(descriptor, SHUT_RDWR)
        #else
            _ = Glibc.shutdown(descriptor, Int32(SHUT_RDWR))
        #endif
    }

    /// A socket bound to 127.0.0.1 at a port the kernel picks, but not listening, and that port:
    /// while the socket is held, connections to the port are refused and nothing else takes it.
    public static func refusing() -> (socket: LoopbackSocket, port: Int)? {
        guard let socket = LoopbackSocket(descriptor: tcpSocket()), let port = socket.bind(listening: false) else {
            return nil
        }
        return (socket, port)
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port`.
    public static func acceptsConnections(port: Int) -> Bool { LoopbackSocket(port: port) != nil }

    /// Sends every byte; false when the connection is gone.
    @discardableResult
    public func send(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { buffer in
                #if canImport(Darwin)
                    Darwin.send(descriptor, buffer.baseAddress, buffer.count, 0)
                #else
                    // A closed connection is an answer (false), not a SIGPIPE that kills the process.
                    Glibc.send(descriptor, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL))
                #endif
            }
            if sent < 0, errno == EINTR { continue }
            guard sent > 0 else { return false }
            offset += sent
        }
        return true
    }

    /// What arrives within `timeout` seconds (nil: however long it takes).
    public func read(timeout: Double? = nil) -> Read {
        if let timeout {
            var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&request, 1, Int32(max(0, timeout) * 1000))
            if ready == 0 || (ready < 0 && errno == EINTR) { return .timeout }
        }
        var received = 0
        // Filled by `recv` alone: no zeroing, no second copy (the benchmark's clients read on the
        // processors of the server they measure).
        let data = [UInt8](unsafeUninitializedCapacity: 16_384) { buffer, count in
            received = recv(descriptor, buffer.baseAddress, buffer.count, 0)
            count = max(0, received)
        }
        return received > 0 ? .data(data) : .closed
    }

    /// Binds to a port of 127.0.0.1 the kernel picks, listening or not, and returns that port.
    private func bind(listening: Bool) -> Int? {
        var address = Self.loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                #if canImport(Darwin)
                    let bound = Darwin.bind(descriptor, $0, length) == 0
                #else
                    let bound = Glibc.bind(descriptor, $0, length) == 0
                #endif
                return bound && (!listening || listen(descriptor, 16) == 0) && getsockname(descriptor, $0, &length) == 0
            }
        }
        return bound ? Int(UInt16(bigEndian: address.sin_port)) : nil
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    private static func tcpSocket() -> Int32 {
        #if canImport(Darwin)
            socket(AF_INET, SOCK_STREAM, 0)
        #else
            socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #endif
    }
}
