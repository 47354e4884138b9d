import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Answers `Expect: 100-continue` (what PHP's and .NET's HTTP clients send before a body over
/// 1 Kio, then wait a second for): `100 Continue` as soon as the head is accepted, or nothing
/// when the head alone decides the final answer (an unknown path, a wrong method, a declared
/// length over the limit, a body coded in a way Comptoir does not read), which the web service
/// then sends without reading the body.
final class ExpectContinue: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundOut = HTTPResponsePart

    private let bodyLimit: Int

    init(bodyLimit: Int) { self.bodyLimit = bodyLimit }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let request) = unwrapInboundIn(data), accepts(request) {
            context.writeAndFlush(wrapOutboundOut(.head(HTTPResponse(status: .continue))), promise: nil)
        }
        context.fireChannelRead(data)
    }

    /// Whether `request` asks for `100 Continue` and its head does not decide its answer already.
    private func accepts(_ request: HTTPRequest) -> Bool {
        guard request.headerFields[.expect]?.lowercased() == "100-continue" else { return false }
        if let length = WebService.declaredSize(request.headerFields[.contentLength]), length > bodyLimit {
            return false
        }
        if BodyCodings.refusal(of: request.headerFields) != nil { return false }
        switch Route(method: request.method, rawPath: request.path ?? "") {
        case .importer: return true
        case .version, .versionERP, .openAPI, .lecture, .console, .metrics, .wrongMethod,
            .unknown:
            return false
        }
    }
}
