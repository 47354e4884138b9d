import Foundation

/// An HTTP/1.1 answer as it came on the wire: its status and the `Content-Length` bytes of its body.
public struct HTTPAnswer: Sendable {
    public let status: Int
    public let body: [UInt8]

    public var text: String { String(decoding: body, as: UTF8.self) }

    /// The whole answer that `bytes` start with, and how many bytes it takes; nil while its
    /// head or its body is still partial.
    public static func first(in bytes: [UInt8]) -> (answer: HTTPAnswer, length: Int)? {
        guard let headEnd = bytes.firstRange(of: Array("\r\n\r\n".utf8)) else { return nil }
        let lines = String(decoding: bytes[..<headEnd.lowerBound], as: UTF8.self).split(separator: "\r\n")
        let contentLength =
            lines.dropFirst().lazy.compactMap { line -> Int? in
                let parts = line.split(separator: ":", maxSplits: 1)
                guard parts.count == 2, parts[0].lowercased() == "content-length" else { return nil }
                return Int(parts[1].trimmingCharacters(in: .whitespaces))
            }.first ?? 0
        let length = headEnd.upperBound + contentLength
        guard bytes.count >= length else { return nil }
        let status = Int(lines.first?.split(separator: " ").dropFirst().first ?? "") ?? 0
        return (HTTPAnswer(status: status, body: Array(bytes[headEnd.upperBound..<length])), length)
    }
}
