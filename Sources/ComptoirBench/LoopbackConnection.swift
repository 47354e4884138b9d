import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One keep-alive HTTP/1.1 connection to 127.0.0.1, used from one thread with blocking calls:
/// the lightest of clients, so that the load generator takes as little as it can of the
/// processors it shares with the server it measures.
final class LoopbackConnection {
    private let descriptor: Int32
    private var received: [UInt8] = []

    init(port: Int) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw BenchFailure("socket : \(String(cString: strerror(errno)))") }
        var noDelay: Int32 = 1
        setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(descriptor)
            throw BenchFailure("connexion au port \(port) : \(String(cString: strerror(errno)))")
        }
    }

    deinit { close(descriptor) }

    /// POSTs `body` to `path` and returns the answer's status and body.
    func post(_ path: String, body: [UInt8]) throws -> (status: Int, body: String) {
        let head =
            "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\n\r\n"
        try send(Array(head.utf8) + body)
        while true {
            if let answer = takeAnswer() { return answer }
            try receive()
        }
    }

    private func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, 0) }
            guard sent > 0 else { throw BenchFailure("envoi : \(String(cString: strerror(errno)))") }
            offset += sent
        }
    }

    private func receive() throws {
        var buffer = [UInt8](repeating: 0, count: 16_384)
        let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { throw BenchFailure("le serveur a fermé la connexion") }
        received += buffer[..<count]
    }

    /// The first whole answer received, removed from what was received; nil while it is partial.
    private func takeAnswer() -> (status: Int, body: String)? {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        guard let headEnd = received.firstRange(of: separator) else { return nil }
        let head = String(decoding: received[..<headEnd.lowerBound], as: UTF8.self)
        let lines = head.split(separator: "\r\n")
        let length =
            lines.dropFirst().lazy.compactMap { line -> Int? in
                let parts = line.split(separator: ":", maxSplits: 1)
                guard parts.count == 2, parts[0].lowercased() == "content-length" else { return nil }
                return Int(parts[1].trimmingCharacters(in: .whitespaces))
            }.first ?? 0
        guard received.count >= headEnd.upperBound + length else { return nil }
        let status = Int(lines.first?.split(separator: " ").dropFirst().first ?? "") ?? 0
        let body = String(decoding: received[headEnd.upperBound..<headEnd.upperBound + length], as: UTF8.self)
        received.removeFirst(headEnd.upperBound + length)
        return (status, body)
    }
}
