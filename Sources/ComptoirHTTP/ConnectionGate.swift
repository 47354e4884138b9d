import ComptoirCore
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOSSL
import Synchronization

/// Counts the open connections, in all and per client address, and turns away those past the
/// caps, so that a crowd of connections that send nothing cannot take every file descriptor.
final class ConnectionGate: Sendable {
    /// The most connections open at once.
    let maximum: Int
    /// The most connections open at once from one address; nil: no such cap.
    let maximumPerAddress: Int?
    private let open = Mutex<(total: Int, perAddress: [String: Int])>((0, [:]))
    /// When a refusal was last logged, and how many went unlogged since.
    private let refusalLog = Mutex<(lastLogged: ContinuousClock.Instant?, unlogged: Int)>((nil, 0))
    /// A refusal is logged at most once in this time, so that a flood of connections does not
    /// flood the journal.
    static let refusalLogInterval = Duration.seconds(10)

    init(maximum: Int, maximumPerAddress: Int?) {
        self.maximum = maximum
        self.maximumPerAddress = maximumPerAddress
    }

    /// Why `address` may not open one more connection now, or nil once it is counted in.
    func admit(_ address: String) -> String? {
        open.withLock { open in
            if open.total >= maximum {
                return "Trop de connexions ouvertes sur le serveur (\(maximum)) : réessayez plus tard"
            }
            if let maximumPerAddress, open.perAddress[address, default: 0] >= maximumPerAddress {
                return
                    "Trop de connexions ouvertes depuis l'adresse \(address) (\(maximumPerAddress)) : réessayez plus tard"
            }
            open.total += 1
            open.perAddress[address, default: 0] += 1
            return nil
        }
    }

    /// Nil when the refusal made at `now` goes unlogged; otherwise, how many went unlogged
    /// since the last one logged.
    func refusalToLog(at now: ContinuousClock.Instant = .now) -> Int? {
        refusalLog.withLock { log in
            if let last = log.lastLogged, now - last < Self.refusalLogInterval {
                log.unlogged += 1
                return nil
            }
            defer { log = (now, 0) }
            return log.unlogged
        }
    }

    func release(_ address: String) {
        open.withLock { open in
            open.total -= 1
            let remaining = open.perAddress[address, default: 1] - 1
            open.perAddress[address] = remaining > 0 ? remaining : nil
        }
    }
}

/// An HTTP/1 connection let in by a `ConnectionGate`, or turned away with an immediate 503.
struct GatedHTTP1Channel: ServerChildChannel, HTTPChannelHandler {
    struct Value: ServerChildChannelValue {
        let channel: any Channel
        /// Nil when the connection was turned away.
        let http: HTTP1Channel.Value?
    }

    let inner: HTTP1Channel
    let gate: ConnectionGate
    /// HTTPS: the connection is encrypted before anything else, the 503 of a turned-away one too.
    let tls: NIOSSLContext?
    var responder: HTTPChannelHandler.Responder { inner.responder }

    /// How long a turned-away connection may still send before it is closed: its request is
    /// read and dropped, so that closing does not reset the connection before the client has
    /// read the 503.
    static let lingering = TimeAmount.seconds(1)
    /// How long a turned-away connection lives at most, its answer sent or not: over TLS the
    /// answer waits for a handshake, which a silent client never starts.
    static let refusedLifetime = TimeAmount.seconds(5)

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        if let tls {
            do {
                try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls))
            } catch {
                return channel.eventLoop.makeFailedFuture(error)
            }
        }
        let address = channel.remoteAddress?.ipAddress ?? "?"
        guard let refusal = gate.admit(address) else {
            channel.closeFuture.whenComplete { _ in gate.release(address) }
            return inner.setup(channel: channel, logger: logger).flatMapThrowing { http in
                try ClosingRequests.install(on: channel)
                return Value(channel: channel, http: http)
            }
        }
        if let unlogged = gate.refusalToLog() {
            let others =
                switch unlogged {
                case 0: ""
                case 1: " (et 1 autre connexion refusée depuis le message précédent)"
                default: " (et \(unlogged) autres connexions refusées depuis le message précédent)"
                }
            logger.warning("Connexion de \(address) refusée : \(refusal)\(others)")
        }
        channel.eventLoop.scheduleTask(in: Self.refusedLifetime) { channel.close(promise: nil) }
        return channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(DroppedInput())
            let body = Array(Answer.error(refusal).asciiText.utf8)
            let head =
                "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json; charset=utf-8\r\n"
                + "Content-Length: \(body.count)\r\nRetry-After: 1\r\nConnection: close\r\n\r\n"
            channel.writeAndFlush(ByteBuffer(bytes: Array(head.utf8) + body)).whenComplete { _ in
                channel.close(mode: .output, promise: nil)
                channel.eventLoop.scheduleTask(in: Self.lingering) { channel.close(promise: nil) }
            }
            return Value(channel: channel, http: nil)
        }
    }

    func handle(value: Value, logger: Logger) async {
        guard let http = value.http else { return }
        await inner.handle(value: http, logger: logger)
    }
}

/// Reads and drops what a turned-away client still sends.
private final class DroppedInput: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case ChannelEvent.inputClosed = event { context.close(promise: nil) }
    }
}
