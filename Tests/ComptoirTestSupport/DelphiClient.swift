import Foundation

/// What Delphi's DataSnap REST client does with an answer before handing it on: the bytes
/// decoded as UTF-8, that text turned back into bytes with the Windows code page (`BytesOf`),
/// and those bytes parsed as UTF-8 JSON. Any raw non-ASCII byte makes it read nothing.
public enum DelphiClient {
    /// Why Delphi's client would read nothing of `answer`, or nil when it reads it.
    public static func readingProblem(_ answer: [UInt8]) -> String? {
        let text = String(decoding: answer, as: UTF8.self)
        guard let ansi = text.data(using: .windowsCP1252, allowLossyConversion: true) else {
            return "not representable in Windows-1252: \(text.prefix(200))"
        }
        guard String(data: ansi, encoding: .utf8) != nil else {
            return "not UTF-8 once in Windows-1252: \(text.prefix(200))"
        }
        guard (try? JSONSerialization.jsonObject(with: ansi)) != nil else { return "not JSON: \(text.prefix(200))" }
        return nil
    }
}
