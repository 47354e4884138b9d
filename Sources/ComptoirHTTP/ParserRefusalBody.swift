import ComptoirCore
import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Gives the bare 400 that Hummingbird answers a request HTTP cannot parse (a malformed request
/// line, two `Content-Length`s, a header too large) the contract's JSON error, which every
/// refusal carries (`webservice.md` §6). The web service never answers 400 without a body, so a
/// 400 of length 0 is that one.
final class ParserRefusalBody: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    static let message = "Requête HTTP mal formée : le serveur ne peut pas la lire"
    private static let body = ByteBuffer(string: Answer.error(message).asciiText)

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard case .head(var response) = unwrapOutboundIn(data), response.status == .badRequest,
            response.headerFields[.contentLength] == "0"
        else {
            context.write(data, promise: promise)
            return
        }
        response.headerFields[.contentLength] = String(Self.body.readableBytes)
        response.headerFields[.contentType] = "application/json; charset=utf-8"
        context.write(wrapOutboundOut(.head(response)), promise: nil)
        context.write(wrapOutboundOut(.body(Self.body)), promise: promise)
    }
}
