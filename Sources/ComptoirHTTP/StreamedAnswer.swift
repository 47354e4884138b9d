import ComptoirService
import Hummingbird

extension Response {
    /// The answer of an import whose journal was asked for, written to the connection piece by
    /// piece, with its exact `Content-Length`.
    static func importDone(_ answer: StreamedJournalAnswer) -> Response {
        let body = ResponseBody(contentLength: answer.byteCount) { writer in
            try await answer.write { try await writer.write(ByteBuffer(bytes: $0)) }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: body)
    }
}
