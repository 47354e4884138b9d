import Loopback

/// One keep-alive HTTP/1.1 connection to 127.0.0.1, used from one thread with blocking calls:
/// the lightest of clients, so that the load generator takes as little as it can of the
/// processors it shares with the server it measures.
final class LoopbackConnection {
    private let socket: LoopbackSocket
    private var received: [UInt8] = []

    init(port: Int) throws {
        guard let socket = LoopbackSocket(port: port, noDelay: true) else {
            throw BenchFailure("connexion au port \(port) impossible")
        }
        self.socket = socket
    }

    /// POSTs `body` to `path` and returns the answer, waiting for it at most `timeout` seconds
    /// (nil: however long it takes).
    func post(_ path: String, body: [UInt8], timeout: Double? = nil) throws -> HTTPAnswer {
        let head =
            "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\n\r\n"
        guard socket.send(Array(head.utf8) + body) else { throw BenchFailure("le serveur a fermé la connexion") }
        while true {
            if let (answer, length) = HTTPAnswer.first(in: received) {
                received.removeFirst(length)
                return answer
            }
            switch socket.read(timeout: timeout) {
            case .data(let bytes): received += bytes
            case .closed: throw BenchFailure("le serveur a fermé la connexion")
            case .timeout: throw BenchFailure("pas de réponse en \(timeout ?? 0) s")
            }
        }
    }
}
