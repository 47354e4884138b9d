import NIOCore
import NIOHTTP1
import NIOHTTPTypesHTTP1

/// Makes a request that does not keep its connection open say so as Hummingbird reads it,
/// `Connection: close` in lower case: an HTTP/1.0 request without `keep-alive` (PHP's
/// `file_get_contents` before PHP 8), or `Connection: Close` in another case or among other
/// options (.NET's `KeepAlive = false`). Hummingbird closes the connection after the answer on
/// the exact `close` only, and such a client, reading to the end, waited for the idle timeout.
/// A request whose transfer codings do not end in `chunked` is closed too: where its body ends
/// cannot be known (RFC 9112 §6.3), so nothing after it can be read as a request.
/// It reads the request before the conversion to HTTP types, which keep no HTTP version.
final class ClosingRequests: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(var head) = unwrapInboundIn(data), !head.isKeepAlive || BodyCodings.bodyEndUnknown(head),
            head.headers["connection"] != ["close"]
        else {
            context.fireChannelRead(data)
            return
        }
        head.headers.replaceOrAdd(name: "connection", value: "close")
        context.fireChannelRead(wrapInboundOut(.head(head)))
    }

    /// Puts one in the HTTP/1 pipeline of `channel`, before its conversion to HTTP types.
    static func install(on channel: any Channel) throws {
        let conversion = try channel.pipeline.syncOperations.handler(type: HTTP1ToHTTPServerCodec.self)
        try channel.pipeline.syncOperations.addHandler(ClosingRequests(), position: .before(conversion))
    }
}
